/*
 * workloads/scrape.c: the article's third experiment.  Task i GETs
 * /page/{i} from the demo server (about 25 KB of HTML), parses it with
 * libxml2's HTML parser, takes the text of its <h1>, and appends
 * "title<TAB>/page/i" and a newline to titles.tsv.  One append is one
 * write(2) of a short line to a file opened with O_APPEND, so lines from
 * threads and processes never interleave: the file holds every title
 * exactly once, in the order the tasks finished.
 */
#include "workload.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

#define SCRAPE_TASKS 100u
#define TITLE_MAX    200  /* a longer title is cut: the line stays short */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2's global set-up, once, before any thread parses. */
static void
xml_init(void)
{
  xmlInitParser();
}

/* The first <h1> under node, depth first. */
static xmlNode *
find_h1(xmlNode *node)
{
  xmlNode *n, *found;

  for (n = node; n != NULL; n = n->next) {
    if (n->type == XML_ELEMENT_NODE
        && xmlStrcasecmp(n->name, BAD_CAST "h1") == 0)
      return n;
    if ((found = find_h1(n->children)) != NULL)
      return found;
  }
  return NULL;
}

/* Parse the body as HTML and keep "title\t/page/i\n" to append. */
static int
parse_title(struct gt_task_ctx *ctx, const struct gt_step *step, char **cause)
{
  htmlDocPtr doc;
  xmlNode *h1;
  xmlChar *text = NULL;
  char *line, *t;
  size_t len;
  int rc = 0;

  pthread_once(&xml_once, xml_init);
  doc = htmlReadMemory(ctx->body ? ctx->body : "", (int)ctx->body_len,
      NULL, "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
      | HTML_PARSE_NONET);
  h1 = doc != NULL ? find_h1(xmlDocGetRootElement(doc)) : NULL;
  if (h1 != NULL)
    text = xmlNodeGetContent(h1);
  if (text == NULL || text[0] == '\0') {
    gt_set_cause(cause, "page %llu: no <h1> title in %zu bytes of HTML",
        (unsigned long long)step->arg, ctx->body_len);
    rc = GT_EPARSE;
    goto out;
  }
  /* tabs and newlines would break the file's lines */
  for (t = (char *)text; *t != '\0'; t++)
    if (*t == '\t' || *t == '\n' || *t == '\r')
      *t = ' ';
  len = strlen((char *)text);
  line = gt_xasprintf("%.*s\t/page/%llu\n",
      (int)(len > TITLE_MAX ? TITLE_MAX : len), (char *)text,
      (unsigned long long)step->arg);
  gt_task_ctx_set_value(ctx, line, strlen(line));
out:
  xmlFree(text);
  if (doc != NULL)
    xmlFreeDoc(doc);
  return rc;
}

/* M tasks: GET, parse, append. */
static int
scrape_make(const struct gt_workload_params *p, struct gt_task **tasks,
    size_t *ntasks, char **cause)
{
  size_t n = p->tasks ? p->tasks : SCRAPE_TASKS, i;
  struct gt_task *t;

  (void)cause;
  pthread_once(&xml_once, xml_init);
  t = gt_xcalloc(n, sizeof(*t));
  for (i = 0; i < n; i++) {
    t[i].name = gt_xasprintf("page %zu", i);
    t[i].nsteps = 3;
    t[i].steps = gt_xcalloc(3, sizeof(*t[i].steps));
    t[i].steps[0] = (struct gt_step){
      .kind = GT_STEP_HTTP,
      .label = gt_xstrdup("GET /page"),
      .target = gt_xasprintf("/page/%zu", i),
    };
    t[i].steps[1] = (struct gt_step){
      .kind = GT_STEP_CPU,
      .label = gt_xstrdup("parse HTML"),
      .cpu = parse_title,
      .arg = i,
      /* the article's BeautifulSoup(page, features="html.parser"):
       * html.parser is Python code (a loop of regex matches and method
       * calls), so the GIL can change hands between its bytecodes.  Our
       * libxml2 parse of 25 KB takes well under a switch interval and
       * has no checkpoint, so it is never asked to let go mid-parse;
       * were it lxml, whose parser releases the GIL, it would be
       * GT_GIL_RELEASES */
      .gil = GT_GIL_LOOP,
    };
    t[i].steps[2] = (struct gt_step){
      .kind = GT_STEP_APPEND,
      .label = gt_xstrdup("append titles.tsv"),
      .target = gt_xstrdup("titles.tsv"),
    };
  }
  *tasks = t;
  *ntasks = n;
  return 0;
}

static const struct gt_cpu_def scrape_cpus[] = {
  { "scrape.title", parse_title, GT_GIL_LOOP },
  { NULL, NULL, 0 },
};

const struct gt_workload gt_workload_scrape = {
  .name = "scrape",
  .summary = "GET /page/i (25 KB of HTML), parse it with libxml2, append "
      "its <h1> to titles.tsv",
  .default_tasks = SCRAPE_TASKS,
  .needs_server = 1,
  .make = scrape_make,
  .cpus = scrape_cpus,
};
