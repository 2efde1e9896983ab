//! Turning wire records into lanes and spans. A record that does not fit
//! (unknown span, exit without enter, time going backwards on a thread) is
//! counted as an error and skipped; nothing here panics on bad input.
use super::dense::DenseMap;
use super::{IdMap, LaneId, LaneKind, Mark, Span, SpanDef, State, Timeline};
use crate::wire::{Record, SAMPLER_CONN, TASK_FIELD, WAITING_FIELD};

/// The index of a span past [`MAX_SPANS`]: entered and exited like any
/// other, but not kept.
const NOT_KEPT: u32 = u32::MAX;

/// What the model knows about one connection, i.e. one process.
#[derive(Debug)]
pub(super) struct Conn {
    lane: LaneId,
    label: String,
    threads: DenseMap<ThreadState>,
    defs: DenseMap<usize>,
    /// Past [`MAX_DEFS`]: enters and exits of spans whose definition was not
    /// kept are counted, not errors.
    defs_full: bool,
    task_lanes: IdMap<u64, LaneId>,
    /// Per task lane: what it waits on between polls.
    task_waits: IdMap<LaneId, TaskWait>,
    /// The span on the process lane that shows the process alive.
    life: Option<u32>,
    last_ts: u64,
    ended: bool,
}

/// A waiting span inside a task is entered only during polls. When a poll
/// ends right after such a span was exited, and the span is still alive, the
/// task is parked on it: the time until its next poll (or the span's Close)
/// is drawn as waiting on the task's lane.
#[derive(Debug, Default)]
struct TaskWait {
    /// The waiting span exited last in the current poll: (span id, def).
    last_exited: Option<(u64, usize)>,
    /// The waiting interval drawn since the last poll: (span id, index).
    parked: Option<(u64, u32)>,
}

#[derive(Debug)]
struct ThreadState {
    /// Made on first use, so that a lane the sampler made for the same OS
    /// thread can be taken over instead (see `adopt_thread`).
    lane: Option<LaneId>,
    name: String,
    /// Its OS thread id, once its `ThreadId` came: what its Totals are
    /// filed under, beside the sampler's readings of the same thread.
    tid: Option<u32>,
    last_ts: u64,
    stack: Vec<Open>,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    span_id: u64,
    on_thread: u32,
    /// The same span's interval on a task lane, when it is (inside) a task.
    on_task: Option<(LaneId, u32)>,
}

impl Timeline {
    /// Adds one record from connection `conn`.
    pub fn ingest(&mut self, conn: u32, record: Record) {
        let from_sampler = matches!(
            record,
            Record::Sample(_)
                | Record::Process { .. }
                | Record::Sampler { .. }
                | Record::Freeze { .. }
        );
        if from_sampler && conn != SAMPLER_CONN {
            self.error(format!(
                "connection {conn}: a sampler record from a lesson process"
            ));
            return;
        }
        match record {
            Record::Sample(sample) => return self.sample(sample),
            Record::Process { pid, ppid, name } => {
                self.sampled_process(pid, ppid, &name);
                return;
            }
            Record::Sampler {
                interval,
                cpus,
                note,
            } => return self.sampler_status(interval, cpus, note),
            Record::Freeze { ts, frozen } => return self.freeze(ts, frozen),
            _ => {}
        }
        if let Record::Hello {
            pid, ppid, name, ..
        } = record
        {
            self.hello(conn, pid, ppid, &name);
            return;
        }
        let Some(mut state) = self.conns.remove(&conn) else {
            self.error(format!("connection {conn}: a record before the hello"));
            return;
        };
        if let Err(message) = self.apply(&mut state, record) {
            self.error(format!("{}: {message}", state.label));
        }
        self.conns.insert(conn, state);
    }

    /// Adds a batch of records from connection `conn`: the same as
    /// [`Timeline::ingest`] for each, with the connection looked up once.
    pub fn ingest_all(&mut self, conn: u32, records: impl IntoIterator<Item = Record>) {
        let mut state: Option<Conn> = None;
        for record in records {
            if state.is_none() {
                match self.conns.remove(&conn) {
                    Some(found) if !matches!(record, Record::Hello { .. }) => state = Some(found),
                    found => {
                        if let Some(found) = found {
                            self.conns.insert(conn, found);
                        }
                        self.ingest(conn, record);
                        continue;
                    }
                }
            }
            let Some(current) = state.as_mut() else {
                continue;
            };
            if matches!(record, Record::Hello { .. }) {
                self.error(format!("connection {conn}: a second hello"));
            } else if let Err(message) = self.apply(current, record) {
                self.error(format!("{}: {message}", current.label));
            }
        }
        if let Some(state) = state {
            self.conns.insert(conn, state);
        }
    }

    /// The connection closed without an End record: the process was killed
    /// or crashed. What it left open ends at the latest time the run has
    /// seen, the best estimate of when it died.
    pub fn disconnected(&mut self, conn: u32) {
        if let Some(mut state) = self.conns.remove(&conn) {
            if !state.ended {
                let ts = self.end.max(state.last_ts);
                self.finish(&mut state, ts);
            }
            self.conns.insert(conn, state);
        }
    }

    fn hello(&mut self, conn: u32, pid: u32, ppid: u32, name: &str) {
        if self.conns.contains_key(&conn) {
            self.error(format!("connection {conn}: a second hello"));
            return;
        }
        let parent = self
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Process && l.pid == ppid)
            .map(|l| l.id);
        let label = format!("{} [{pid}]", short_process_name(name));
        // The sampler may have found this process first.
        let lane = if let Some(&lane) = self.kernel.pid_lanes.get(&pid) {
            self.lanes[lane].name.clone_from(&label);
            if self.lanes[lane].parent.is_none() {
                self.lanes[lane].parent = parent;
            }
            lane
        } else {
            let lane = self.add_lane(LaneKind::Process, pid, label.clone(), parent);
            self.kernel.pid_lanes.insert(pid, lane);
            lane
        };
        self.conns.insert(
            conn,
            Conn {
                lane,
                label,
                threads: DenseMap::default(),
                defs: DenseMap::default(),
                defs_full: false,
                task_lanes: IdMap::default(),
                task_waits: IdMap::default(),
                life: None,
                last_ts: 0,
                ended: false,
            },
        );
    }

    fn apply(&mut self, conn: &mut Conn, record: Record) -> Result<(), String> {
        match record {
            Record::Thread { thread, name } => {
                let fresh = ThreadState {
                    lane: None,
                    name,
                    tid: None,
                    last_ts: 0,
                    stack: Vec::new(),
                };
                if !conn.threads.insert_new(u64::from(thread), fresh) {
                    return Err(format!("thread {thread} announced twice"));
                }
            }
            Record::ThreadId { thread, tid } => {
                let pid = self.lanes[conn.lane].pid;
                let state = conn
                    .threads
                    .get_mut(u64::from(thread))
                    .ok_or_else(|| format!("id of thread {thread} before it was announced"))?;
                state.tid = Some(tid);
                match state.lane {
                    None => state.lane = Some(self.adopt_thread(pid, tid, &state.name, conn.lane)),
                    // Already drawn: samples of that OS thread join its lane.
                    Some(lane) => {
                        self.kernel.tid_lanes.entry((pid, tid)).or_insert(lane);
                    }
                }
            }
            Record::Hello { .. }
            | Record::Sample(_)
            | Record::Process { .. }
            | Record::Sampler { .. }
            | Record::Freeze { .. } => unreachable!("handled by ingest"),
            Record::Span {
                span,
                name,
                target,
                fields,
                ..
            } => {
                if conn.defs.contains(span) {
                    return Err(format!("span {span} created twice"));
                }
                if self.defs.len() >= self.caps.defs {
                    conn.defs_full = true;
                    self.not_kept += 1;
                    return Ok(());
                }
                let field = |key: &str| {
                    fields
                        .iter()
                        .find(|(k, _)| k == key)
                        .map(|(_, v)| v.clone())
                };
                self.defs.push(SpanDef {
                    waiting_on: field(WAITING_FIELD),
                    task: field(TASK_FIELD),
                    name,
                    target,
                    fields,
                });
                conn.defs.insert_new(span, self.defs.len() - 1);
            }
            Record::Enter { span, thread, ts } => self.enter(conn, span, thread, ts)?,
            Record::Exit { span, thread, ts } => self.exit(conn, span, thread, ts)?,
            Record::Mark {
                thread,
                ts,
                name,
                fields,
                ..
            } => {
                let (thread_state, thread_lane) = self.advance(conn, thread, ts)?;
                let lane = thread_state
                    .stack
                    .iter()
                    .rev()
                    .find_map(|open| open.on_task.map(|(lane, _)| lane))
                    .unwrap_or(thread_lane);
                if self.mark_count >= self.caps.marks {
                    self.not_kept += 1;
                    return Ok(());
                }
                self.mark_count += 1;
                self.marks[lane].push(Mark {
                    lane,
                    ts,
                    name,
                    fields,
                });
            }
            Record::Dropped { count } => self.dropped += count,
            Record::End { ts } => {
                self.see(conn, ts);
                self.finish(conn, ts);
            }
            Record::Close { span, ts } => self.close_wait(conn, span, ts),
            Record::Totals {
                thread,
                ts,
                on_cpu,
                queued,
            } => {
                self.see(conn, ts);
                let pid = self.lanes[conn.lane].pid;
                let tid = conn
                    .threads
                    .get(u64::from(thread))
                    .and_then(|state| state.tid)
                    .ok_or_else(|| format!("totals of thread {thread} before its id"))?;
                self.thread_totals(pid, tid, ts, on_cpu, queued);
            }
        }
        Ok(())
    }

    /// Checks that time does not run backwards on `thread` and moves it on.
    /// Returns the thread and its lane (made now if it had none yet).
    fn advance<'c>(
        &mut self,
        conn: &'c mut Conn,
        thread: u32,
        ts: u64,
    ) -> Result<(&'c mut ThreadState, LaneId), String> {
        self.see(conn, ts);
        let state = conn
            .threads
            .get_mut(u64::from(thread))
            .ok_or_else(|| format!("thread {thread} used before it was announced"))?;
        if ts < state.last_ts {
            return Err(format!(
                "out of order on thread {thread}: {ts} ns after {} ns",
                state.last_ts
            ));
        }
        state.last_ts = ts;
        let lane = if let Some(lane) = state.lane {
            lane
        } else {
            let pid = self.lanes[conn.lane].pid;
            let name = state.name.clone();
            let lane = self.add_lane(LaneKind::Thread, pid, name, Some(conn.lane));
            state.lane = Some(lane);
            lane
        };
        Ok((state, lane))
    }

    /// Notes a timestamp: the run's end moves on, and the process's life
    /// starts at the first one.
    fn see(&mut self, conn: &mut Conn, ts: u64) {
        self.end = self.end.max(ts);
        self.traced_end = self.traced_end.max(ts);
        conn.last_ts = conn.last_ts.max(ts);
        if conn.life.is_none() {
            self.defs.push(SpanDef {
                name: conn.label.clone(),
                target: "process".into(),
                fields: Vec::new(),
                waiting_on: None,
                task: None,
            });
            let def = self.defs.len() - 1;
            conn.life = Some(self.push_span(conn.lane, def, State::Running, ts, 0, None));
        }
    }

    fn enter(&mut self, conn: &mut Conn, span: u64, thread: u32, ts: u64) -> Result<(), String> {
        let Some(&def) = conn.defs.get(span) else {
            if conn.defs_full {
                // Its definition was past the cap: keep the thread's time
                // moving, and count it.
                self.advance(conn, thread, ts)?;
                self.not_kept += 1;
                return Ok(());
            }
            return Err(format!("enter of unknown span {span}"));
        };
        let pid = self.lanes[conn.lane].pid;
        let process_lane = conn.lane;
        let (lane, depth, enclosing_task) = {
            let (state, lane) = self.advance(conn, thread, ts)?;
            let task = state.stack.iter().rev().find_map(|open| open.on_task);
            (lane, state.stack.len() as u16, task)
        };
        let waiting = if self.defs[def].waiting_on.is_some() {
            State::Waiting
        } else {
            State::Running
        };
        let on_task = if self.defs[def].task.is_some() {
            let task_lane = if let Some(&lane) = conn.task_lanes.get(&span) {
                lane
            } else {
                let name = self.defs[def].task.clone().unwrap_or_default();
                let lane = self.add_lane(LaneKind::Task, pid, name, Some(process_lane));
                conn.task_lanes.insert(span, lane);
                lane
            };
            // Polled again: whatever it was parked on, it is running now.
            if let Some(wait) = conn.task_waits.get_mut(&task_lane) {
                wait.last_exited = None;
                if let Some((_, parked)) = wait.parked.take() {
                    self.close_span(parked, ts);
                }
            }
            Some((task_lane, 0))
        } else {
            enclosing_task.map(|(task_lane, _)| (task_lane, self.open[task_lane].len() as u16))
        };
        let on_task = on_task.map(|(task_lane, task_depth)| {
            (
                task_lane,
                self.push_span(task_lane, def, waiting, ts, task_depth, Some(lane)),
            )
        });
        let on_thread = self.push_span(lane, def, waiting, ts, depth, on_task.map(|(l, _)| l));
        let state = conn
            .threads
            .get_mut(u64::from(thread))
            .expect("checked by advance");
        state.stack.push(Open {
            span_id: span,
            on_thread,
            on_task,
        });
        Ok(())
    }

    fn exit(&mut self, conn: &mut Conn, span: u64, thread: u32, ts: u64) -> Result<(), String> {
        let defs_full = conn.defs_full && !conn.defs.contains(span);
        let (state, _) = self.advance(conn, thread, ts)?;
        let Some(pos) = state.stack.iter().rposition(|open| open.span_id == span) else {
            if defs_full {
                return Ok(());
            }
            return Err(format!(
                "exit of span {span} that thread {thread} had not entered"
            ));
        };
        let open = state.stack.remove(pos);
        self.close_span(open.on_thread, ts);
        if let Some((task_lane, task_span)) = open.on_task.filter(|&(_, s)| s != NOT_KEPT) {
            self.close_span(task_span, ts);
            let def = self.spans[task_span as usize].def;
            let wait = conn.task_waits.entry(task_lane).or_default();
            if self.defs[def].task.is_some() {
                // The poll ended: if it ended waiting on something, park.
                if let Some((span_id, wait_def)) = wait.last_exited.take() {
                    let parked = self.push_span(task_lane, wait_def, State::Waiting, ts, 0, None);
                    conn.task_waits.entry(task_lane).or_default().parked = Some((span_id, parked));
                }
            } else if self.defs[def].waiting_on.is_some() {
                wait.last_exited = Some((span, def));
            } else {
                wait.last_exited = None;
            }
        }
        Ok(())
    }

    /// A waiting span was dropped: whatever task was parked on it is not.
    fn close_wait(&mut self, conn: &mut Conn, span: u64, ts: u64) {
        self.see(conn, ts);
        let mut done = Vec::new();
        for wait in conn.task_waits.values_mut() {
            if wait.last_exited.is_some_and(|(id, _)| id == span) {
                wait.last_exited = None;
            }
            if let Some((id, parked)) = wait.parked
                && id == span
            {
                wait.parked = None;
                done.push(parked);
            }
        }
        for parked in done {
            self.close_span(parked, ts);
        }
    }

    /// The process ended (or vanished) at `ts`: close all it left open.
    fn finish(&mut self, conn: &mut Conn, ts: u64) {
        conn.ended = true;
        for state in conn.threads.values_mut() {
            for open in state.stack.drain(..) {
                self.close_span(open.on_thread, ts);
                if let Some((_, task_span)) = open.on_task {
                    self.close_span(task_span, ts);
                }
            }
        }
        for wait in conn.task_waits.values_mut() {
            if let Some((_, parked)) = wait.parked.take() {
                self.close_span(parked, ts);
            }
        }
        if let Some(life) = conn.life {
            self.close_span(life, ts);
        }
    }

    fn push_span(
        &mut self,
        lane: LaneId,
        def: usize,
        state: State,
        start: u64,
        depth: u16,
        other_lane: Option<LaneId>,
    ) -> u32 {
        if self.spans.len() >= self.caps.spans {
            self.not_kept += 1;
            return NOT_KEPT;
        }
        let index = self.spans.len() as u32;
        self.spans.push(Span {
            lane,
            def,
            state,
            start,
            end: None,
            depth,
            other_lane,
        });
        let levels = &mut self.by_lane[lane];
        if levels.len() <= depth as usize {
            levels.resize_with(depth as usize + 1, Vec::new);
        }
        let level = &mut levels[depth as usize];
        // Records of different threads can reach a task lane slightly out of
        // order; keep each level sorted by start. Almost always the new span
        // starts last: append without searching.
        let starts_last = level
            .last()
            .is_none_or(|&i| self.spans[i as usize].start <= start);
        if starts_last {
            level.push(index);
        } else {
            let at = level.partition_point(|&i| self.spans[i as usize].start <= start);
            level.insert(at, index);
        }
        self.open[lane].push(index);
        index
    }

    fn close_span(&mut self, index: u32, ts: u64) {
        let Some(span) = self.spans.get_mut(index as usize) else {
            return;
        };
        if span.end.is_some() {
            return;
        }
        span.end = Some(ts.max(span.start));
        let open = &mut self.open[span.lane];
        if let Some(pos) = open.iter().rposition(|&i| i == index) {
            open.remove(pos);
        }
    }
}

/// `02_multiprocessing_basics worker pool 0` reads as `lesson 02 worker pool
/// 0`: the lesson's full name would crowd out what tells its processes apart.
pub(super) fn short_process_name(name: &str) -> String {
    let (exe, rest) = name.split_once(' ').unwrap_or((name, ""));
    let is_lesson = exe.len() > 3
        && exe.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        && exe.as_bytes()[2] == b'_';
    match (is_lesson, rest.is_empty()) {
        (true, true) => exe.to_string(),
        (true, false) => format!("lesson {} {rest}", &exe[..2]),
        (false, _) => name.to_string(),
    }
}
