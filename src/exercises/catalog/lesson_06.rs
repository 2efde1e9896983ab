//! Lesson 06's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 6,
        file: "06_link_checker.rs",
        name: "link_checker",
        title: "Check a page's links concurrently (P1, A6)",
        kind: BuildFromSpec,
        difficulty: 2,
        minutes: 25,
        is_async: true,
        hints: [
            "Four steps in `check_page`: fetch the page (its error is yours to return), take its links with `links_in`, drop the repeats, and check the links with at most `limit` in flight. Look at `futures::stream::iter` and at the `StreamExt` methods that run several futures at once.",
            "A stream of link checks run `limit` at a time, starting a new one as soon as any finishes (not in page order, not in groups), then the statuses sorted. A set removes repeated links before any is fetched.",
            "`let (_, body) = fetch(page.to_string()).await?;` then a BTreeSet of `links_in(&body)` removes \
         duplicates. `futures::stream::iter(links).map(|link| async move { ... }).buffer_unordered(limit)\
         .collect::<Vec<_>>().await`, with `let fetch = &fetch;` first so each async block can borrow it.",
        ],
    },
    exercise! {
        lesson: 6,
        file: "06_rate_limiter.rs",
        name: "rate_limiter",
        title: "A token-bucket rate limiter (P3)",
        kind: BuildFromSpec,
        difficulty: 3,
        minutes: 30,
        is_async: true,
        hints: [
            "`acquire` must work out how many tokens the bucket holds now: look at the two fields of `Bucket`, and at what `tokio::time::Instant` and `tokio::time::sleep` give you.",
            "Tokens accumulate with time: since `updated`, elapsed time × per_second tokens were earned, up to `burst`. If there is a whole token, take it and return; if not, work out how long until there will be one, let go of the lock, sleep that long on tokio's clock, and look again (another caller may have taken it meanwhile).",
            "In a loop: lock the state, `tokens = (tokens + elapsed_secs * per_second).min(burst)`, set `updated = \
         now`; if tokens >= 1, take one and return; else compute the wait `(1 - tokens) / per_second` seconds, \
         release the lock (end the block), and `tokio::time::sleep(wait).await`.",
        ],
    },
    exercise! {
        lesson: 6,
        file: "06_image_filter.rs",
        name: "image_filter",
        title: "A parallel image filter, identical to the sequential one (P2, T6)",
        kind: WarmUp,
        difficulty: 1,
        minutes: 15,
        is_async: false,
        hints: [
            "`apply` already does the work row after row with `chunks_mut`, and `filter_row` fills one row. Only the way the rows are walked has to change.",
            "Each output row depends only on the input image, so different threads can fill different rows at the same time, each with its own `&mut` row. Rayon has a parallel version of `chunks_mut` that hands the rows to its pool; the row number comes from `enumerate`.",
            "Copy `apply` and change `chunks_mut` to `par_chunks_mut` and `for` to `.enumerate().for_each(|(y, row)| \
         filter_row(image, kernel, y, row))` (use rayon::prelude::*). Each row is written by one thread only.",
        ],
    },
    exercise! {
        lesson: 6,
        file: "06_ledger.rs",
        name: "ledger",
        title: "Fix a parallel sum that is right on one thread only (P2, T6)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 15,
        is_async: false,
        hints: [
            "Compare `closing_balances` with `closing_balances_sequential`: look at the value each one \
             starts from, and at how often rayon calls the closures you give `fold` and `reduce`.",
            "rayon splits the transfers into pieces, and every piece starts its `fold` from a fresh value \
             made by the identity closure; `reduce` then adds the pieces together. An identity that is not \
             \"nothing\" is counted once per piece: with more threads, more pieces, more copies.",
            "Fold from an empty map (`HashMap::new`): each piece sums only its *changes*; `reduce(HashMap::new, \
             merge)` adds the changes; then add the opening balances once: `merge(opening.clone(), changes)`.",
        ],
    },
    exercise! {
        lesson: 6,
        file: "06_retry_backoff.rs",
        name: "retry_backoff",
        title: "Retry with exponential backoff, jitter and a timeout per attempt (P3, A11)",
        kind: BuildFromSpec,
        difficulty: 2,
        minutes: 25,
        is_async: true,
        hints: [
            "One loop over the attempts. Per turn: run the attempt (under a timeout), return on `Ok`, \
             and decide whether another turn is allowed before you sleep.",
            "`tokio::time::timeout(d, attempt()).await` gives `Err(Elapsed)` for an attempt that took too \
             long, and dropping the attempt's future stops it. Keep the current delay in a variable: \
             double it after each sleep, then cap it with `min(max_delay)`; a capped delay never \
             overflows, a power of two computed from the attempt number does.",
            "`loop { made += 1; let error = match timeout(t, attempt()).await { Ok(Ok(v)) => return Ok(v), \
             Ok(Err(e)) => e, Err(_) => \"timed out\".into() }; if made >= attempts { return Err(Failed { .. }) } \
             sleep(jitter(delay)).await; delay = delay.saturating_mul(2).min(max) }`",
        ],
    },
    exercise! {
        lesson: 6,
        file: "06_cancel_downloads.rs",
        name: "cancel_downloads",
        title: "Fix downloads that go on after cancel (A11, P1)",
        kind: FixTheBug,
        difficulty: 3,
        minutes: 25,
        is_async: true,
        hints: [
            "`download_all` returns on cancel; look at what it started that it does not own: where do \
             the downloads run, and who holds on to them after the return?",
            "Dropping a future cancels it, but a `tokio::spawn`ed task is not dropped with its \
             `JoinHandle`: dropping the handle detaches the task, which runs on. The downloads must belong \
             to something that `download_all` drops (or aborts) when it returns.",
            "Spawn into a `tokio::task::JoinSet` kept in `download_all` and wait with \
             `downloads.join_next()` in the `select!`: returning drops the set and aborts every task in \
             it. (Or keep the `JoinHandle`s and `abort()` each one on cancel.)",
        ],
    },
    exercise! {
        lesson: 6,
        file: "06_web_crawler.rs",
        name: "web_crawler",
        title: "Capstone: a concurrent web crawler with depth, bound and deadline (P1, A6, A8, A11)",
        kind: Capstone,
        difficulty: 3,
        minutes: 50,
        is_async: true,
        hints: [
            "Get rules 1 and 2 right first with one fetch at a time: a queue of (URL, depth) and a set \
             of URLs seen. Then make it concurrent (rule 3), then add the timeouts (rules 4 and 5).",
            "Mark a URL as seen when you *queue* it, not when its fetch ends: two pages in flight may \
             link the same page. Keep the fetches in flight in a `JoinSet` (or `FuturesUnordered`) that \
             the crawl owns, start new ones only while fewer than `max_in_flight` run, and race the next \
             one to finish against the deadline in `select!`; returning drops what is still in flight.",
            "`loop { while in_flight.len() < max && let Some((url, depth)) = waiting.pop_front() { \
             in_flight.spawn(/* timeout(page_timeout, fetch(&url)), then links */) } if in_flight.is_empty() \
             { return report } select! { Some(done) = in_flight.join_next() => /* record; queue unseen links \
             if depth < max_depth */, () = &mut deadline => { report.deadline_hit = true; return report } } }`",
        ],
    },
];
