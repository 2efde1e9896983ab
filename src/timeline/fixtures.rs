//! Small traces for tests, built record by record.
use crate::timeline::Timeline;
use crate::wire::Record;

pub(crate) fn hello(pid: u32, ppid: u32, name: &str) -> Record {
    Record::Hello {
        version: crate::wire::VERSION,
        token: [0; 16],
        pid,
        ppid,
        name: name.into(),
    }
}

pub(crate) fn thread(thread: u32, name: &str) -> Record {
    Record::Thread {
        thread,
        name: name.into(),
    }
}

pub(crate) fn span(span: u64, name: &str, fields: &[(&str, &str)]) -> Record {
    Record::Span {
        span,
        parent: 0,
        name: name.into(),
        target: "t".into(),
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
    }
}

/// A model fed `records` on one connection.
pub(crate) fn model(records: Vec<Record>) -> Timeline {
    let mut timeline = Timeline::new();
    for record in records {
        timeline.ingest(1, record);
    }
    timeline
}
