/* A small C file for clang -ftime-trace: a few functions, one header. */
#include <string.h>

struct point { int x, y; };

static int
dist2(struct point a, struct point b)
{
  int dx = a.x - b.x, dy = a.y - b.y;

  return dx * dx + dy * dy;
}

int
nearest(const struct point *p, int n, struct point q)
{
  int best = 0, i;

  for (i = 1; i < n; i++)
    if (dist2(p[i], q) < dist2(p[best], q))
      best = i;
  return best;
}

size_t
name_len(const char *s)
{
  return strlen(s);
}
