use super::within;
use crate::ex::philosophers::{dine, forks_for};
use std::time::Duration;

/// Dinner ends at every table size: each seat count from 2 to 8 dines under
/// a deadline. (Any order of the forks that cannot deadlock passes: a global
/// order, odd and even seats alternating, one left-handed philosopher...)
#[test]
fn everyone_gets_to_eat_at_every_table() {
    isolated!();
    for seats in 2..=8 {
        let eaten = within(
            Duration::from_secs(3),
            &format!(
                "dinner for {seats} never ended: every philosopher was waiting for a fork \
                 that a neighbour held"
            ),
            move || dine(seats, 10),
        );
        assert_eq!(eaten, seats * 10, "{seats} philosophers × 10 meals");
    }
}

/// The property itself, for every table up to 12 seats and every schedule:
/// draw an arrow from each philosopher's first fork to their second. A
/// deadlock needs philosophers each holding their first fork and waiting for
/// the next one's: a cycle of arrows. No cycle, no deadlock, whatever the
/// timing (a stress run could miss the unlucky schedule; this cannot).
#[test]
fn no_cycle_of_waiting_can_form() {
    isolated!();
    for seats in 2..=12 {
        let mut next = vec![Vec::new(); seats];
        for seat in 0..seats {
            let (first, second) = forks_for(seat, seats);
            let mut mine = [seat, (seat + 1) % seats];
            let mut got = [first, second];
            mine.sort_unstable();
            got.sort_unstable();
            assert_eq!(
                got, mine,
                "philosopher {seat} of {seats} picks up forks {got:?}, but sits between forks {mine:?}"
            );
            next[first].push((second, seat));
        }
        if let Some(cycle) = find_cycle(&next) {
            let steps: Vec<String> = cycle
                .iter()
                .map(|(fork, seat)| format!("philosopher {seat} holds fork {fork}"))
                .collect();
            panic!(
                "with {seats} seats, this schedule deadlocks: {}, and each waits for the fork the next one holds",
                steps.join(", ")
            );
        }
    }
}

/// A cycle in the "first fork → second fork" graph, as (fork held, seat).
fn find_cycle(next: &[Vec<(usize, usize)>]) -> Option<Vec<(usize, usize)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    fn visit(
        fork: usize,
        next: &[Vec<(usize, usize)>],
        marks: &mut [Mark],
        path: &mut Vec<(usize, usize)>,
    ) -> Option<Vec<(usize, usize)>> {
        marks[fork] = Mark::OnPath;
        for &(to, seat) in &next[fork] {
            path.push((fork, seat));
            match marks[to] {
                Mark::OnPath => {
                    let start = path.iter().position(|&(f, _)| f == to).unwrap_or(0);
                    return Some(path[start..].to_vec());
                }
                Mark::New => {
                    if let Some(cycle) = visit(to, next, marks, path) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
            path.pop();
        }
        marks[fork] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; next.len()];
    for fork in 0..next.len() {
        if marks[fork] == Mark::New
            && let Some(cycle) = visit(fork, next, &mut marks, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}
