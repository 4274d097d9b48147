#ifndef PORTHOLE_CLIBEDIT_SHIM_H
#define PORTHOLE_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <histedit.h>
#endif
