/*
 * trace/settings.c: the list of a session's settings (settings.h): set,
 * find, copy and write as JSON.  A list holds at most GT_SETTINGS_MAX, so
 * a linear search is the fastest there is.
 */
#include "settings.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "jsonw.h"

/* 1 when text is a JSON number: -? int frac? exp?. */
int
gt_settings_is_number(const char *t)
{
  if (*t == '-')
    t++;
  if (*t == '0')
    t++;
  else if (*t >= '1' && *t <= '9')
    while (*t >= '0' && *t <= '9')
      t++;
  else
    return 0;
  if (*t == '.') {
    if (!(*++t >= '0' && *t <= '9'))
      return 0;
    while (*t >= '0' && *t <= '9')
      t++;
  }
  if (*t == 'e' || *t == 'E') {
    t++;
    if (*t == '+' || *t == '-')
      t++;
    if (!(*t >= '0' && *t <= '9'))
      return 0;
    while (*t >= '0' && *t <= '9')
      t++;
  }
  return *t == '\0';
}

/* The setting of key, or NULL. */
const struct gt_setting *
gt_settings_find(const struct gt_settings *s, const char *key)
{
  size_t i;

  for (i = 0; i < s->n; i++)
    if (strcmp(s->v[i].key, key) == 0)
      return &s->v[i];
  return NULL;
}

/* Set key to value, replacing its old value. */
int
gt_settings_set(struct gt_settings *s, const char *key, const char *value,
    int type)
{
  struct gt_setting *old;
  size_t klen = strlen(key), vlen = strlen(value);

  if (klen == 0 || klen > GT_SETTING_KEY_MAX || vlen > GT_SETTING_TEXT_MAX)
    return -1;
  if ((type == GT_SET_NUM && !gt_settings_is_number(value))
      || (type == GT_SET_BOOL && strcmp(value, "true") != 0
      && strcmp(value, "false") != 0)
      || type < GT_SET_STR || type > GT_SET_BOOL)
    return -1;
  old = (struct gt_setting *)gt_settings_find(s, key);
  if (old != NULL) {
    free(old->value);
    old->value = gt_xstrdup(value);
    old->type = type;
    return 0;
  }
  if (s->n >= GT_SETTINGS_MAX)
    return -1;
  s->v = gt_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
  s->v[s->n].key = gt_xstrdup(key);
  s->v[s->n].value = gt_xstrdup(value);
  s->v[s->n].type = type;
  s->n++;
  return 0;
}

/* Empty s. */
void
gt_settings_clear(struct gt_settings *s)
{
  size_t i;

  for (i = 0; i < s->n; i++) {
    free(s->v[i].key);
    free(s->v[i].value);
  }
  free(s->v);
  s->v = NULL;
  s->n = 0;
}

/* dst = src. */
void
gt_settings_copy(struct gt_settings *dst, const struct gt_settings *src)
{
  size_t i;

  if (dst == src)
    return;
  gt_settings_clear(dst);
  for (i = 0; i < src->n; i++)
    (void)gt_settings_set(dst, src->v[i].key, src->v[i].value,
        src->v[i].type);
}

/* {"key":value,...}: strings escaped, numbers and booleans as they are
 * (checked when set). */
void
gt_settings_write_json(const struct gt_settings *s, struct gt_jsonw *w)
{
  size_t i;

  gt_jsonw_lit(w, "{");
  for (i = 0; i < s->n; i++) {
    if (i > 0)
      gt_jsonw_lit(w, ",");
    gt_jsonw_str(w, s->v[i].key);
    gt_jsonw_lit(w, ":");
    if (s->v[i].type == GT_SET_STR)
      gt_jsonw_str(w, s->v[i].value);
    else
      gt_jsonw_lit(w, s->v[i].value);
  }
  gt_jsonw_lit(w, "}");
}
