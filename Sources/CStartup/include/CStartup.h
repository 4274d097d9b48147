#ifndef PORTHOLE_CSTARTUP_H
#define PORTHOLE_CSTARTUP_H
/* Process start-up hygiene that must run before the Swift runtime opens its first descriptor. */

/* Which of stdin (1), stdout (2) and stderr (4) were closed when porthole started and now read /dev/null. */
int porthole_reopened_standard_streams(void);

#endif
