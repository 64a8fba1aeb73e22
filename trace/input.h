/*
 * trace/input.h: the text of a trace file, plain or gzip, read in chunks.
 *
 * A file whose first two bytes are gzip's magic (1f 8b) is gzip whatever
 * its name: it is inflated as it is read, a chunk at a time, never held
 * whole; members written one after another (gzip -c a >> b) are one text,
 * as gunzip reads them.  Any other file is its own text.  Offsets and lines
 * are of the text (the decompressed text of a gzip file).
 */
#ifndef GT_INPUT_H
#define GT_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct gt_input;

/* Open path for reading.  Returns 0 with *in set, or a negative errno with
 * *cause "path: cannot read: reason" (missing, no permission, a read that
 * failed on the first bytes). */
int gt_input_open(struct gt_input **in, const char *path, char **cause);

/* Up to n bytes of the text into buf: fewer only at its end.  Returns the
 * bytes given, 0 at the end of the text, or a negative code with *cause
 * naming the path: a negative errno when the file cannot be read (a folder:
 * -EISDIR), GT_EPARSE when a gzip stream is corrupt (at which compressed
 * byte).  A gzip stream cut short ends the text where zlib's output stops,
 * and gt_input_cut() then says so. */
ssize_t gt_input_read(struct gt_input *in, void *buf, size_t n,
    char **cause);

/* 1 when the file is gzip. */
int gt_input_gzip(const struct gt_input *in);

/* 1 when the text ended because the gzip stream was cut short (its last
 * member has no end); gt_input_cut_at() is the file's size there. */
int gt_input_cut(const struct gt_input *in);
uint64_t gt_input_cut_at(const struct gt_input *in);

/* The bytes of the file read so far and its size (0 when it is not a
 * regular file): the progress of a read. */
uint64_t gt_input_consumed(const struct gt_input *in);
uint64_t gt_input_size(const struct gt_input *in);

/* The line of the text's byte off (1 for the first): the text is read again
 * from its start to count them (for a message; reading pays nothing for
 * it).  0 when the file cannot be read again (a pipe). */
uint64_t gt_input_line(struct gt_input *in, uint64_t off);

/* What follows "byte B" in a message: "" for a plain file, " of the
 * decompressed text" for gzip.  Static. */
const char *gt_input_of(const struct gt_input *in);

/* Close in (NULL: nothing). */
void gt_input_close(struct gt_input *in);

#endif
