#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "CStartup.h"

static int reopened = 0;

/* Runs before main, so before Swift's concurrency runtime creates its epoll and eventfd descriptors: a closed
   stdin or stdout (`<&-`, `>&-`) would otherwise hand them numbers 0 and 1, and the guided session would read
   an epoll descriptor as its input (or a kubectl pipe), and porthole's output would go into whatever took 1. */
__attribute__((constructor)) static void porthole_reopen_closed_standard_streams(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        int opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (opened < 0) continue;
        if (opened != fd) { dup2(opened, fd); close(opened); }
        reopened |= 1 << fd;
    }
}

int porthole_reopened_standard_streams(void) { return reopened; }
