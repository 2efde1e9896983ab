//! RIGHT: the item indexes wait in a channel whose receiver the threads share behind a Mutex; results come back on a second channel with their index and are put in order.
use std::sync::{Mutex, mpsc};
use std::thread;

pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let (todo_tx, todo_rx) = mpsc::channel();
    (0..items.len()).for_each(|i| todo_tx.send(i).unwrap());
    drop(todo_tx);
    let todo = Mutex::new(todo_rx);
    let (done_tx, done_rx) = mpsc::channel();
    let (todo, work) = (&todo, &work);
    thread::scope(|s| {
        for _ in 0..threads.max(1).min(items.len()) {
            let done_tx = done_tx.clone();
            s.spawn(move || {
                loop {
                    let next = todo.lock().unwrap().recv();
                    let Ok(index) = next else { break };
                    done_tx.send((index, work(&items[index]))).unwrap();
                }
            });
        }
    });
    drop(done_tx);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (index, result) in done_rx {
        slots[index] = Some(result);
    }
    slots.into_iter().map(|r| r.unwrap()).collect()
}
