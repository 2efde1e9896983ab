//! Lesson 03's `hand_made_future`: a `Future` written by hand (a timer), a
//! tiny executor with a real `Waker`, and an `async fn` built from the
//! timer, run by that executor. Every poll is a span on the executor's
//! thread and every wake a mark on the thread that woke the task.
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};
use tracing::info_span;

/// A timer future: ready once `duration` has passed since its first poll.
/// The first poll starts a thread that sleeps, then calls the waker it was
/// given; every poll stores the newest waker, because a task may be polled
/// with a different one (tokio moves tasks between threads).
pub struct Timer {
    name: &'static str,
    duration: Duration,
    shared: Arc<Mutex<TimerState>>,
    started: bool,
}

#[derive(Default)]
struct TimerState {
    fired: bool,
    waker: Option<Waker>,
}

impl Timer {
    pub fn new(name: &'static str, duration: Duration) -> Self {
        Self {
            name,
            duration,
            shared: Arc::default(),
            started: false,
        }
    }
}

impl Future for Timer {
    type Output = ();

    // `Timer` holds no reference into itself, so it is `Unpin` and the
    // `Pin<&mut Self>` can be used like a `&mut Self`.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.shared.lock().expect("no panic");
        if state.fired {
            return Poll::Ready(());
        }
        state.waker = Some(cx.waker().clone());
        drop(state);
        if !self.started {
            self.started = true;
            let (shared, duration, name) = (Arc::clone(&self.shared), self.duration, self.name);
            thread::Builder::new()
                .name(format!("timer {name}"))
                .spawn(move || {
                    {
                        let _waiting = info_span!("sleep", waiting_on = "the clock").entered();
                        thread::sleep(duration);
                    }
                    let mut state = shared.lock().expect("no panic");
                    state.fired = true;
                    if let Some(waker) = state.waker.take() {
                        tracing::info!(timer = name, "wake");
                        println!("         wake  {name} (from thread `timer {name}`)");
                        waker.wake();
                    }
                })
                .expect("a timer thread");
        }
        Poll::Pending
    }
}

/// What a waker does here: put its task's number back on the run queue.
struct TaskWaker {
    id: usize,
    queue: Mutex<Sender<usize>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        let _ = self.queue.lock().expect("no panic").send(self.id);
    }
}

struct Task {
    name: &'static str,
    future: Pin<Box<dyn Future<Output = ()> + Send>>,
    /// A `task` span: entered during each poll, so the timeline draws the
    /// task's own lane and the poll on the executor's thread.
    span: tracing::Span,
    waker: Waker,
    polls: u32,
}

/// The smallest executor that works: a run queue of task numbers (a
/// channel), and a loop that polls whichever task was woken. It sleeps in
/// `recv` when nothing is ready, and ends when every task is done.
pub struct Executor {
    tasks: Vec<Option<Task>>,
    queue: Sender<usize>,
    ready: Receiver<usize>,
    started: Instant,
}

impl Executor {
    pub fn new() -> Self {
        let (queue, ready) = mpsc::channel();
        Self {
            tasks: Vec::new(),
            queue,
            ready,
            started: Instant::now(),
        }
    }

    pub fn spawn(&mut self, name: &'static str, future: impl Future<Output = ()> + Send + 'static) {
        let id = self.tasks.len();
        let waker = Waker::from(Arc::new(TaskWaker {
            id,
            queue: Mutex::new(self.queue.clone()),
        }));
        self.tasks.push(Some(Task {
            name,
            future: Box::pin(future),
            span: info_span!("task", task = name),
            waker,
            polls: 0,
        }));
        let _ = self.queue.send(id); // a new task is ready to be polled once
    }

    /// Polls woken tasks until all are done, or until nothing wakes any
    /// task for `limit`. Returns how many polls it made.
    pub fn run(mut self, limit: Duration) -> u32 {
        let mut polls = 0;
        let mut left = self.tasks.len();
        while left > 0 {
            let next = {
                let _idle = info_span!("recv", waiting_on = "a wake-up").entered();
                self.ready.recv_timeout(limit)
            };
            let Ok(id) = next else {
                println!("executor: nothing woke a task for {limit:?}; giving up");
                break;
            };
            let Some(task) = self.tasks[id].as_mut() else {
                continue; // woken after it finished
            };
            task.polls += 1;
            polls += 1;
            let at = self.started.elapsed().as_millis();
            let mut cx = Context::from_waker(&task.waker);
            let outcome = {
                let _entered = task.span.enter();
                let _poll = info_span!("poll", n = task.polls).entered();
                task.future.as_mut().poll(&mut cx)
            };
            match outcome {
                Poll::Pending => {
                    println!("{at:>4} ms  poll {} #{} → Pending", task.name, task.polls);
                }
                Poll::Ready(()) => {
                    println!("{at:>4} ms  poll {} #{} → Ready", task.name, task.polls);
                    self.tasks[id] = None;
                    left -= 1;
                }
            }
        }
        polls
    }
}

/// An `async fn` made of two hand-made timers: the compiler turns it into a
/// state machine (a future) whose `poll` polls the timer it is waiting on.
async fn two_steps() {
    Timer::new("async fn, step 1", Duration::from_millis(30)).await;
    Timer::new("async fn, step 2", Duration::from_millis(30)).await;
}

pub fn run() {
    let mut executor = Executor::new();
    executor.spawn(
        "one timer",
        Timer::new("one timer", Duration::from_millis(50)),
    );
    executor.spawn("async fn", two_steps());
    let started = Instant::now();
    let polls = executor.run(Duration::from_secs(5));
    println!(
        "{polls} polls in {} ms: each task was polled once to start, then once per wake-up,",
        started.elapsed().as_millis()
    );
    println!("never in a loop: between wake-ups the executor slept in recv (0 % CPU)");
}
