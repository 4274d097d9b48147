#ifndef PORTHOLE_CLIBEDIT_SHIM_H
#define PORTHOLE_CLIBEDIT_SHIM_H
/* Typed wrappers for libedit's variadic el_set/el_get/history calls, which Swift cannot call. */
#include <stdio.h>
#include <histedit.h>

typedef char *(*porthole_prompt_fn)(EditLine *);
typedef unsigned char (*porthole_key_fn)(EditLine *, int);

/* el_init on the process's own stdin, stdout and stderr: Swift 6 treats those C globals as shared mutable state. */
static inline EditLine *porthole_el_init_stdio(const char *prog) { return el_init(prog, stdin, stdout, stderr); }
static inline int porthole_el_set_prompt(EditLine *el, porthole_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
static inline int porthole_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int porthole_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int porthole_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int porthole_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *porthole_el_get_clientdata(EditLine *el) { void *d = NULL; el_get(el, EL_CLIENTDATA, &d); return d; }
static inline int porthole_el_addfn(EditLine *el, const char *name, const char *help, porthole_key_fn fn) { return el_set(el, EL_ADDFN, name, help, fn); }
static inline int porthole_el_bind(EditLine *el, const char *key, const char *fn) { return el_set(el, EL_BIND, key, fn, NULL); }

/* Ctrl-C as a key in edit mode (no SIGINT while editing), so the reader can tell it from Ctrl-D. */
static inline int porthole_el_setty_noisig(EditLine *el) { return el_set(el, EL_SETTY, "-d", "-isig", NULL); }

static inline int porthole_history_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int porthole_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int porthole_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int porthole_history_load(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_LOAD, file); }
static inline int porthole_history_save(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_SAVE, file); }
#endif
