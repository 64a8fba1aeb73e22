/*
 * fuzz/fuzz_wire.c: the bytes of the pipes between gantty and its worker
 * processes (scheduler/wire.h).
 *
 * The first byte picks the direction:
 *
 *   even  what the parent reads from a worker's stdout: the rest goes to
 *         the real reader of scheduler/exec_procs.c (on_alloc, on_read,
 *         child_record), in reads of 1 to 128 bytes (the first byte's
 *         upper bits) or all at once, from a worker that holds tasks 0-2
 *         of a run of 4 (task 3 is another worker's).  Whatever it lets
 *         into the session's recorder is then carried through lanes,
 *         stats, the report and the view model, as a run's end does.
 *   odd   what a worker reads first from its stdin: the rest is a SETUP
 *         payload for gt_wire_setup_decode(); a set-up it takes must encode
 *         again and decode to the same tasks.
 *
 * exec_procs.c is included here to reach its static reader; its two
 * exported tables are renamed so that the real ones (linked through the
 * executor) do not clash.  The workers are marked exited, so nothing is
 * sent to them and no process is killed: the read path is the one a live
 * worker's bytes take.
 */
#define gt__exec_procs  fuzz_exec_procs
#define gt__exec_hybrid fuzz_exec_hybrid
#include "exec_procs.c"

#include <stdio.h>

#include "fuzz.h"
#include "lanes.h"
#include "report.h"
#include "timeline.h"
#include "view.h"

#define NTASKS 4
#define COLS   80

static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc, (void)argv;
  devnull = fopen("/dev/null", "w");
  if (devnull == NULL)
    abort();
  return 0;
}

/* The session after the run: what a worker put there must not crash the
 * report or the view. */
static void
after_run(struct gt_recorder *rec)
{
  static struct gt_cell cells[COLS];
  struct gt_run_figures st[4];
  struct gt_run_figures fig;
  struct gt_lanes lanes;
  struct gt_view *v;
  char buf[256];
  uint64_t t0, now, npc;
  size_t nst, p, i;

  gt_lanes_build(rec, &lanes);
  nst = gt_timeline_figures_of(rec, st, 4);
  gt_report_print(devnull, rec, &lanes, st, nst,
      &(struct gt_report_opts){ .width = 100 });
  gt_lanes_done(&lanes);
  v = gt_view_new(rec);
  gt_view_update(v, 0);
  t0 = gt_view_t0(v);
  now = gt_view_now(v);
  npc = now > t0 && (now - t0) / COLS > 0 ? (now - t0) / COLS : 1;
  for (p = 0; p < gt_view_panels(v); p++) {
    gt_view_figures(v, p, &fig);
    gt_view_caption(v, p, buf, sizeof(buf));
    for (i = 0; i < gt_view_panel_nlanes(v, p); i++)
      gt_view_cells(v, gt_view_panel_lane(v, p, i), t0, npc, COLS, cells);
  }
  gt_view_verdict(v, buf, sizeof(buf));
  gt_view_free(v);
}

/* The parent reading a worker's stdout. */
static void
parent_reads(const uint8_t *data, size_t size, size_t step)
{
  struct gt_executor ex = { .ops = &fuzz_exec_procs, .ntasks = NTASKS,
      .workers = 2 };
  struct procs_state *st = gt_xcalloc(1, sizeof(*st));
  struct gt_run_info info = { .workers = 2, .tasks = NTASKS };
  struct gt_event q = { .kind = GT_EV_QUEUE, .worker = -1 };
  struct child *c;
  uv_buf_t buf;
  size_t off, n, k;
  char *why;

  ex.rec = gt_recorder_new();
  info.name = gt_recorder_intern(ex.rec, "procs");
  ex.run = gt_recorder_run_add(ex.rec, &info);
  gt_recorder_run_start(ex.rec, ex.run, gt_recorder_t0(ex.rec));
  st->ex = &ex;
  gt__handoff_init(&st->in, NTASKS, &st->kick);  /* open: nothing closes */
  st->holder = gt_xmalloc(NTASKS * sizeof(*st->holder));
  st->ended_by = gt_xmalloc(NTASKS * sizeof(*st->ended_by));
  st->nkids = 2;
  st->kids = gt_xcalloc(st->nkids, sizeof(*st->kids));
  for (k = 0; k < st->nkids; k++) {
    c = &st->kids[k];
    c->st = st;
    c->index = (unsigned)k;
    c->in.data = c->out.data = c->proc.data = c;
    c->spawned = c->alive = 1;
    c->exited = 1;  /* nothing is sent to it, it is never killed */
    c->pid = 4242 + (int)k;
    c->cap = NTASKS;
    st->nalive++;
  }
  c = &st->kids[0];
  for (k = 0; k < NTASKS; k++) {
    q.task = (uint32_t)k;
    q.ts_ns = gt_recorder_t0(ex.rec);
    q.label = gt_recorder_intern(ex.rec, k == 0 ? "task" : "other task");
    gt_recorder_append(ex.rec, &q);
    st->holder[k] = k < NTASKS - 1 ? 0 : 1;
    st->ended_by[k] = -1;
    st->kids[st->holder[k]].held++;
    st->in_flight++;
  }
  for (off = 0; off < size && !c->broken; off += n) {
    n = size - off < step ? size - off : step;
    on_alloc((uv_handle_t *)&c->out, 65536, &buf);
    if (n > buf.len)
      n = buf.len;
    memcpy(buf.base, data + off, n);
    on_read((uv_stream_t *)&c->out, (ssize_t)n, &buf);
  }
  why = death_cause(c);
  free(why);
  gt_recorder_run_end(ex.rec, ex.run, gt_now_ns());
  after_run(ex.rec);
  state_free(st);
  gt_recorder_free(ex.rec);
}

/* A worker reading its SETUP. */
static void
worker_reads(const uint8_t *data, size_t size)
{
  struct gt_wire_setup s, again;
  struct gt_wbuf b = { 0 };
  char *cause = NULL;
  size_t i, j;

  if (gt_wire_setup_decode((const char *)data, size, &s, &cause) != 0) {
    if (cause == NULL)
      abort();
    free(cause);
    return;
  }
  if (gt_wire_setup_encode(&b, s.mode, s.base_url, s.out_dir,
      (long)s.timeout_ms, s.limit, (int)s.fresh, (int)s.direct,
      (size_t)s.body_max, (size_t)s.body_held, s.tasks, s.ntasks,
      &cause) != 0) {
    fprintf(stderr, "fuzz_wire: a set-up taken does not encode: %s\n",
        cause);
    abort();
  }
  if (gt_wire_setup_decode(b.p + GT_WIRE_HEADER, b.len - GT_WIRE_HEADER,
      &again, &cause) != 0) {
    fprintf(stderr, "fuzz_wire: a set-up re-encoded does not decode: %s\n",
        cause);
    abort();
  }
  if (again.ntasks != s.ntasks)
    abort();
  for (i = 0; i < s.ntasks; i++) {
    if (strcmp(again.tasks[i].name, s.tasks[i].name) != 0
        || again.tasks[i].nsteps != s.tasks[i].nsteps)
      abort();
    for (j = 0; j < s.tasks[i].nsteps; j++)
      if (again.tasks[i].steps[j].kind != s.tasks[i].steps[j].kind
          || again.tasks[i].steps[j].arg != s.tasks[i].steps[j].arg
          || again.tasks[i].steps[j].cpu != s.tasks[i].steps[j].cpu)
        abort();
  }
  gt_wire_setup_free(&again);
  gt_wire_setup_free(&s);
  free(b.p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t step;

  if (size == 0)
    return 0;
  if (data[0] & 1) {
    worker_reads(data + 1, size - 1);
    return 0;
  }
  step = data[0] >> 1;  /* 0: all at once */
  parent_reads(data + 1, size - 1, step ? step : size);
  return 0;
}
