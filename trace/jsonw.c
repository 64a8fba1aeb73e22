/*
 * trace/jsonw.c: the buffered JSON writer.
 */
#include "jsonw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "base.h"

#define JSONW_CAP (64 * 1024)

/* Start writing to f. */
void
gt_jsonw_init(struct gt_jsonw *w, FILE *f)
{
  w->f = f;
  w->cap = JSONW_CAP;
  w->len = 0;
  w->buf = gt_xmalloc(w->cap);
}

/* Write the buffer to the stream, unless the stream has already failed
 * (a full disk): its error is kept for whoever closes it, and nothing is
 * gained by handing more bytes to a stream that cannot take them. */
void
gt_jsonw_flush(struct gt_jsonw *w)
{
  if (w->len > 0 && !ferror(w->f))
    fwrite(w->buf, 1, w->len, w->f);
  w->len = 0;
}

/* Flush and free. */
int
gt_jsonw_done(struct gt_jsonw *w)
{
  gt_jsonw_flush(w);
  free(w->buf);
  w->buf = NULL;
  return ferror(w->f) ? -EIO : 0;  /* stdio keeps no errno */
}

/* A quoted string; control characters, quotes and backslashes escaped, and
 * bytes that are not UTF-8 (labels hold URLs and libraries' messages, which
 * may hold anything) replaced by U+FFFD, so the file is always valid JSON. */
void
gt_jsonw_str(struct gt_jsonw *w, const char *str)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)str, *run = s;
  char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
  unsigned char c;
  int n;

  gt_jsonw_raw(w, "\"", 1);
  for (; (c = *s) != '\0'; s++) {
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
      continue;
    if (c >= 0x80 && (n = gt_utf8_len(s)) > 0) {
      s += n - 1;
      continue;
    }
    gt_jsonw_raw(w, (const char *)run, (size_t)(s - run));
    run = s + 1;
    switch (c) {
    case '"':  gt_jsonw_raw(w, "\\\"", 2); break;
    case '\\': gt_jsonw_raw(w, "\\\\", 2); break;
    case '\n': gt_jsonw_raw(w, "\\n", 2); break;
    case '\t': gt_jsonw_raw(w, "\\t", 2); break;
    case '\r': gt_jsonw_raw(w, "\\r", 2); break;
    default:
      if (c >= 0x80) {
        gt_jsonw_raw(w, "\\ufffd", 6);
        break;
      }
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      gt_jsonw_raw(w, esc, 6);
    }
  }
  gt_jsonw_raw(w, (const char *)run, (size_t)(s - run));
  gt_jsonw_raw(w, "\"", 1);
}

/* Decimal digits of v, right-aligned into end; returns the first digit. */
static char *
utoa_rev(uint64_t v, char *end)
{
  do {
    *--end = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return end;
}

/* An unsigned integer. */
void
gt_jsonw_u64(struct gt_jsonw *w, uint64_t v)
{
  char tmp[24], *p = utoa_rev(v, tmp + sizeof(tmp));

  gt_jsonw_raw(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* A signed integer. */
void
gt_jsonw_i64(struct gt_jsonw *w, int64_t v)
{
  if (v < 0) {
    gt_jsonw_raw(w, "-", 1);
    gt_jsonw_u64(w, (uint64_t)0 - (uint64_t)v);
  } else {
    gt_jsonw_u64(w, (uint64_t)v);
  }
}

/* ns written as microseconds, three decimals. */
void
gt_jsonw_us(struct gt_jsonw *w, int64_t ns)
{
  char tmp[32], *end = tmp + sizeof(tmp), *p;
  uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
  unsigned frac = (unsigned)(u % 1000);

  p = end - 4;
  p[0] = '.';
  p[1] = (char)('0' + frac / 100);
  p[2] = (char)('0' + frac / 10 % 10);
  p[3] = (char)('0' + frac % 10);
  p = utoa_rev(u / 1000, p);
  if (ns < 0)
    *--p = '-';
  gt_jsonw_raw(w, p, (size_t)(end - p));
}

/* A finite double rounded to 3 decimals, trailing zeros dropped; null for
 * NaN or infinity (JSON has neither). */
void
gt_jsonw_f3(struct gt_jsonw *w, double v)
{
  int64_t milli;
  char tmp[40], *end = tmp + sizeof(tmp), *p;
  uint64_t u;
  unsigned frac;

  if (!isfinite(v) || fabs(v) > 9e15) {
    gt_jsonw_raw(w, "null", 4);
    return;
  }
  milli = (int64_t)llround(v * 1000.0);
  u = milli < 0 ? (uint64_t)0 - (uint64_t)milli : (uint64_t)milli;
  frac = (unsigned)(u % 1000);
  p = end;
  if (frac != 0) {
    char d[3] = { (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                  (char)('0' + frac % 10) };
    int keep = d[2] != '0' ? 3 : d[1] != '0' ? 2 : 1;

    p -= keep;
    memcpy(p, d, (size_t)keep);
    *--p = '.';
  }
  p = utoa_rev(u / 1000, p);
  if (milli < 0)
    *--p = '-';
  gt_jsonw_raw(w, p, (size_t)(end - p));
}
