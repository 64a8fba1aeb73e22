/*
 * trace/base/base.h: the few helpers every gantty library uses: allocation that
 * aborts on exhaustion, malloc'd error causes, and files written to a
 * temporary name and renamed.  Built as its own library (gt_base) so that
 * workloads/ can use it without depending on the event model.
 *
 * Errors: one convention for every gantty library (trace/, workloads/,
 * scheduler/) and the front door (tui/).
 *
 * - A function that can fail for a reason someone must be told returns an
 *   int: 0 on success, or a negative code: -errno as the system gave it
 *   (-ENOENT for a missing file, -ENOSPC) or one of gantty's GT_E* codes
 *   (the end of this file): bad input, a transfer, a worker.  Never -1
 *   and never a positive value.  A caller tests rc != 0 and may compare rc
 *   with a code (rc == -ENOENT); it never looks at the message.
 * - A function that answers a question returns the answer: a count or a
 *   length as a size_t (or a narrower unsigned type), which cannot fail; a
 *   yes or no as 1 or 0; an index or an id, with the value that means
 *   "none" in its comment; a pointer, or NULL for "none".  A lookup that
 *   finds nothing is an answer, not an error.  Nothing returns NULL for
 *   want of memory: the gt_x* allocators abort.
 * - The message goes in a char **cause, the last argument.  On failure,
 *   when cause is not NULL and *cause is NULL, *cause gets a malloc'd
 *   message (gt_set_cause(): the first, innermost cause is kept) that
 *   names what failed -- the path, or path:line:col, the task and step, the
 *   mode -- and why, ready to print; the caller frees it.  On success
 *   *cause is left alone.  A message is for people and nothing parses it:
 *   what a caller needs to know (a code, a byte offset) travels as data.
 * - Exit status (tui/main.c; README, "Exit status and faults"): 0 when the
 *   session ran, failed tasks included (a task's code is data: shown in the
 *   report and the trace, not exited with); 2 for what gantty refuses
 *   before the first run: GT_EUSAGE, a file named to read that cannot be
 *   read (-errno: "cannot read: No such file or directory"), one that is
 *   malformed (GT_EPARSE) or names a CPU function nobody registered
 *   (GT_ENOFUNC), an output that cannot be made (-errno); 1 for an error
 *   that stops the session or loses an output once it ran; 128 plus the
 *   signal when interrupted.
 */
#ifndef GT_BASE_H
#define GT_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Now, CLOCK_MONOTONIC in ns: the clock of every event, shared by every
 * process of the machine. */
uint64_t gt_now_ns(void);

/* malloc, calloc, realloc and strdup that abort when memory runs out. */
void *gt_xmalloc(size_t size);
void *gt_xcalloc(size_t n, size_t size);
void *gt_xrealloc(void *p, size_t size);
char *gt_xstrdup(const char *s);

/* Ask for transparent huge pages under the 2 MiB-aligned interior of
 * [p, p+len): a large scratch array then faults once per 2 MiB, not once
 * per 4 KiB (1.5 us each on our VMs).  A hint; nothing happens for small
 * ranges or where the kernel says no. */
void gt_advise_huge(void *p, size_t len);

/* A 64-bit hash of x keyed by a per-process random seed (getrandom() at
 * first use): splitmix64's finaliser of x mixed with the seed.  Tables
 * that hash what a file names use it, so the file cannot choose keys that
 * all land in one slot (hash flooding). */
uint64_t gt_hash64(uint64_t x);

/* A map from 64-bit ids (below UINT64_MAX) to indexes, sized by the ids it
 * holds and not by the largest one: a trace may name task 16 777 215 and
 * no other.  Zero-initialise it; free with gt_idmap_free(). */
struct gt_idmap {
  uint64_t *keys;       /* id + 1; 0 is an empty slot */
  size_t   *vals;
  size_t    cap, n;     /* cap a power of two, or 0 */
};

/* The index slot of id, made holding none when it was not there.  The
 * pointer is good until the next gt_idmap_slot() on m. */
size_t *gt_idmap_slot(struct gt_idmap *m, uint64_t id, size_t none);

/* The index of id, or none when it is not there. */
size_t gt_idmap_get(const struct gt_idmap *m, uint64_t id, size_t none);

void gt_idmap_free(struct gt_idmap *m);

/* Raise the soft open-file limit to the hard limit; returns the soft
 * limit now (1024 when it cannot be read). */
unsigned long gt_raise_nofile(void);

/* The length of the valid UTF-8 sequence at s (2 to 4), or 0 when the
 * bytes there are not one (overlong, surrogate, truncated, > U+10FFFF). */
int gt_utf8_len(const unsigned char *s);

/* s made safe to print on a terminal: every control character shown as
 * `cat -v` does (ESC as ^[, newline as ^J, DEL as ^?, a C1 control such as
 * U+009B as M-^[), each byte that is not UTF-8 as \xNN, a format
 * character that reorders or hides text (gt_format_char(): bidi controls,
 * zero-width and invisible characters, the tag characters) as <U+XXXX>
 * (<U+E0041> above U+FFFF), and other valid UTF-8 text kept as it is.
 * Every escape is printable ASCII, so escaping escaped text changes
 * nothing.  Writes at most len bytes into out, NUL included and
 * never cutting an escape or a character, and returns the length the whole
 * would take (as snprintf; out may be NULL when len is 0).  Every name or
 * data string that reaches stdout or stderr goes through here. */
size_t gt_escape(char *out, size_t len, const char *s);

/* Whether code point cp is a format character that reorders or hides text
 * on a terminal, one gt_escape() shows as <U+XXXX> (the live view as ?):
 * Unicode's format characters (Cf) a terminal may act on or hide -- U+00AD,
 * U+061C, U+180E, U+200B-F, U+202A-E, U+2060-4, U+2066-F, U+FEFF,
 * U+FFF9-B, U+E0001 and the tags U+E0020-7F ("ASCII smuggling") -- and the
 * line and paragraph separators U+2028, U+2029. */
int gt_format_char(uint32_t cp);

/* gt_escape() into a malloc'd string; aborts when memory runs out. */
char *gt_xescape(const char *s);

/* url as it may be shown (malloc'd): a password in it replaced by "***"
 * ("http://user:***@host/"), the rest as it is.  Every URL that reaches a
 * message, a label or a trace goes through here. */
char *gt_url_shown(const char *url);

/* A malloc'd printf; aborts when memory runs out. */
char *gt_xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* The same with a va_list (which it uses up). */
char *gt_xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* When cause is not NULL and *cause is NULL, set *cause to a malloc'd
 * message; the caller frees it.  An earlier cause is kept (it is the root). */
void gt_set_cause(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A file written under a temporary name next to its final path and renamed
 * over it on commit, so a reader never sees half a file. */
struct outfile_sink;
struct gt_outfile {
  FILE *f;              /* write here */
  char *path;           /* final name */
  char *tmp;            /* temporary name: .gantty-XXXXXX.tmp, random;
                         * NULL when path is written in place */
  struct outfile_sink *sink;  /* under f: the first write error's errno */
};

/* Create a temporary file beside path, under a random name, never through
 * a symlink (O_CREAT|O_EXCL|O_NOFOLLOW).  A process killed before commit
 * may leave the temporary file; the final path is only ever whole.  When
 * path exists and, links followed, is a FIFO, a character device or a
 * socket (/dev/stdout, a shell's >(cmd)), it is written in place instead:
 * opened without O_CREAT and without waiting for a FIFO's reader (none:
 * -ENXIO); a folder is -EISDIR, a block device -ENOTBLK.
 * Returns 0 or a negative errno with *cause naming the path. */
int gt_outfile_open(struct gt_outfile *of, const char *path, char **cause);

/* The descriptor path names: 1 for /dev/stdout, 2 for /dev/stderr, N for
 * /dev/fd/N or /proc/self/fd/N, else -1.  gt_outfile_open() writes such a
 * name through a dup of the descriptor, at its offset, whatever it is (a
 * regular file under "> file" too): /dev/stdout is never replaced. */
int gt_fd_name(const char *path);

/* Flush, close and rename into place.  Returns 0, or a negative errno with
 * *cause naming the path: the errno of the write or close that failed
 * (ENOSPC, EFBIG), not stdio's EIO; on failure the temporary file is
 * removed. */
int gt_outfile_commit(struct gt_outfile *of, char **cause);

/* Open rel (a relative path) beneath the folder dirfd without following a
 * symbolic link at any component, the last one included, and without
 * leaving the folder ("..", an absolute name): Linux openat2(2) with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, or where the kernel lacks it (or
 * walk is 1, for tests) a walk that opens each folder with O_NOFOLLOW.
 * flags are open(2)'s (O_CLOEXEC and O_NOFOLLOW are added); mode is used
 * with O_CREAT.  Returns a descriptor, or a negative errno: -ELOOP for a
 * link in the way, -EXDEV for a name that leads outside, -EWOULDBLOCK for
 * a file another process holds a lease on (with O_NONBLOCK).  Any
 * thread. */
int gt_open_beneath(int dirfd, const char *rel, int flags, unsigned mode,
    int walk);

/* A reason for gt_open_beneath()'s error rc, for a message ("a symbolic
 * link is in the way ..."); static. */
const char *gt_beneath_strerror(int rc);

/*
 * Error codes (the convention is at the top of this file): 0 is success,
 * negative errno values pass through (libuv's convention), and gantty's own
 * codes sit below the errno range.
 */
#define GT_EBASE      (-10000)
#define GT_EPARSE     (GT_EBASE - 1)  /* input could not be parsed */
#define GT_EHTTP      (GT_EBASE - 2)  /* HTTP status >= 400 */
#define GT_ENET       (GT_EBASE - 3)  /* transfer failed: refused, reset */
#define GT_ETIMEOUT   (GT_EBASE - 4)  /* a transfer took longer than allowed */
#define GT_ECANCELED  (GT_EBASE - 5)  /* the run was stopped first */
#define GT_EWORKER    (GT_EBASE - 6)  /* the worker running it died */
#define GT_EUSAGE     (GT_EBASE - 7)  /* bad command line */
#define GT_ENOFUNC    (GT_EBASE - 8)  /* a CPU function nobody registered
                                         (gt_cpu_register()) */

/* A short description of code; never NULL; the string is static. */
const char *gt_strerror(int code);

#endif
