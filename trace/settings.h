/*
 * trace/settings.h: the settings that made a session, as a neutral list of
 * keys and values that every file carries (DESIGN.md, "Trace files").
 *
 * trace/ knows nothing of what a setting means: the table that turns
 * options into settings and back is gantty's (tui/settings.c); here a
 * setting is a key, its text and how a JSON file writes it (a string, a
 * number, true or false).  The recorder keeps one list, so that a trace
 * read back keeps its settings and convert and replay write them
 * unchanged.
 */
#ifndef GT_SETTINGS_H
#define GT_SETTINGS_H

#include <stddef.h>

struct gt_jsonw;

/* How a value is written in JSON. */
enum gt_setting_type {
  GT_SET_STR,   /* a string */
  GT_SET_NUM,   /* a number: the text is a JSON number as it is */
  GT_SET_BOOL   /* "true" or "false" */
};

/* The most settings a list holds and the longest key and value: a file's
 * settings past these are skipped when read. */
#define GT_SETTINGS_MAX     128
#define GT_SETTING_KEY_MAX  64
#define GT_SETTING_TEXT_MAX 4096

struct gt_setting {
  char *key;
  char *value;
  int   type;     /* enum gt_setting_type */
};

/* A list in the order its keys were first set; all zeros is empty. */
struct gt_settings {
  struct gt_setting *v;
  size_t             n;
};

/* Set key to value (both copied), replacing the key's value if it is
 * there.  Returns 0, or -1 when the list is full, key or value too long
 * or empty key, or a number or boolean's text is not one (nothing kept). */
int gt_settings_set(struct gt_settings *s, const char *key,
    const char *value, int type);

/* The setting of key, or NULL. */
const struct gt_setting *gt_settings_find(const struct gt_settings *s,
    const char *key);

/* Empty s and free what it holds. */
void gt_settings_clear(struct gt_settings *s);

/* Make dst a copy of src (dst's old settings freed). */
void gt_settings_copy(struct gt_settings *dst, const struct gt_settings *src);

/* Write s as one JSON object ({"key":value,...}) to w. */
void gt_settings_write_json(const struct gt_settings *s, struct gt_jsonw *w);

/* 1 when text is a JSON number (RFC 8259's grammar). */
int gt_settings_is_number(const char *text);

#endif
