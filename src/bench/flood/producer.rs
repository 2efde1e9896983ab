//! The flood's producer, run as a worker of this binary (`bench --worker
//! flood:SECS`): lesson-like code that records spans and knows nothing of the
//! TUI that takes them in.
use std::time::{Duration, Instant};

/// The producer's side: spans as fast as it can, each a new span, for
/// `seconds`. Returns how many it recorded.
pub fn produce(seconds: f64) -> u64 {
    let _recording = crate::record::init();
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut spans = 0u64;
    while Instant::now() < until {
        for _ in 0..1024 {
            let _span = tracing::info_span!("flood", i = spans).entered();
            spans += 1;
        }
    }
    println!("recorded {spans} spans");
    spans
}
