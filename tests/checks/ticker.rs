use super::paused;
use crate::ex::ticker::{Seen, follow};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::time::{Instant, sleep};

#[test]
fn every_subscriber_sees_every_price_in_order() {
    isolated!();
    let (a, b) = paused(
        "follow never returned after the sender was dropped",
        || async {
            let (sender, first) = broadcast::channel(16);
            let second = sender.subscribe();
            let a = tokio::spawn(follow(first));
            let b = tokio::spawn(follow(second));
            for price in [5, 3, 8, 1] {
                sender.send(price).unwrap();
                sleep(Duration::from_millis(10)).await;
            }
            drop(sender);
            (a.await.unwrap(), b.await.unwrap())
        },
    );
    let all = Seen {
        prices: vec![5, 3, 8, 1],
        missed: 0,
    };
    assert_eq!(a, all, "the first subscriber");
    assert_eq!(b, all, "the second subscriber");
}

#[test]
fn a_subscriber_that_fell_behind_counts_what_it_missed_and_goes_on() {
    isolated!();
    let seen = paused(
        "follow never returned after the sender was dropped",
        || async {
            let (sender, receiver) = broadcast::channel(4);
            // 10 prices before the subscriber reads any: it can only get the last 4.
            for price in 100..110 {
                sender.send(price).unwrap();
            }
            let follower = tokio::spawn(follow(receiver));
            sleep(Duration::from_millis(10)).await;
            sender.send(110).unwrap();
            drop(sender);
            follower.await.unwrap()
        },
    );
    assert_eq!(
        seen,
        Seen {
            prices: vec![106, 107, 108, 109, 110],
            missed: 6
        },
        "11 prices were sent to a channel keeping 4, before the subscriber read any"
    );
}

#[test]
fn a_quiet_channel_is_not_a_closed_one() {
    isolated!();
    let (seen, returned_after) = paused(
        "follow never returned after the sender was dropped",
        || async {
            let (sender, receiver) = broadcast::channel(4);
            let start = Instant::now();
            let follower = tokio::spawn(async move {
                let seen = follow(receiver).await;
                (seen, start.elapsed())
            });
            sender.send(1).unwrap();
            // A long quiet spell (virtual time: the check does not really wait).
            sleep(Duration::from_secs(600)).await;
            sender.send(2).unwrap();
            sleep(Duration::from_secs(1)).await;
            drop(sender);
            follower.await.unwrap()
        },
    );
    assert_eq!(
        seen.prices,
        [1, 2],
        "after 10 quiet minutes follow had stopped reading: the price sent then was not seen"
    );
    assert!(
        returned_after >= Duration::from_secs(601) && returned_after < Duration::from_secs(602),
        "follow returned {returned_after:?} after the start; the channel closed at 601 s"
    );
}
