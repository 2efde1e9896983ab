use super::*;

fn roundtrip(record: &Record) -> Record {
    let mut buf = Vec::new();
    encode(record, &mut buf);
    let mut framer = Framer::default();
    framer.push(&buf);
    framer.next_record().unwrap().unwrap()
}

#[test]
fn every_record_survives_a_roundtrip() {
    let records = [
        Record::Hello {
            version: VERSION,
            token: [7; 16],
            pid: 10,
            ppid: 1,
            name: "lesson".into(),
        },
        Record::Thread {
            thread: 3,
            name: "wörker".into(),
        },
        Record::Span {
            span: 9,
            parent: 2,
            name: "lock".into(),
            target: "lesson".into(),
            fields: vec![("waiting_on".into(), "account A".into())],
        },
        Record::Enter {
            span: 9,
            thread: 3,
            ts: 1_000,
        },
        Record::Exit {
            span: 9,
            thread: 3,
            ts: 2_000,
        },
        Record::Mark {
            thread: 3,
            ts: 5,
            span: 0,
            name: "done".into(),
            fields: vec![],
        },
        Record::Dropped { count: 4 },
        Record::End { ts: 99 },
        Record::Close { span: 9, ts: 3_000 },
        Record::ThreadId {
            thread: 3,
            tid: 4242,
        },
        Record::Sample(Sample {
            pid: 10,
            tid: 4242,
            ts: 7_000_000,
            on_cpu: 5_000_000,
            queued: 1_000_000,
            state: b'R',
            comm: "worker-3".into(),
        }),
        Record::Process {
            pid: 11,
            ppid: 10,
            name: "python3".into(),
        },
        Record::Sampler {
            interval: 5_000_000,
            cpus: 2,
            note: String::new(),
        },
        Record::Freeze {
            ts: 8,
            frozen: true,
        },
        Record::Totals {
            thread: 3,
            ts: 9_000_000,
            on_cpu: 6_000_000,
            queued: 2_000_000,
        },
    ];
    for record in &records {
        assert_eq!(&roundtrip(record), record);
    }
}

/// The bytes the format's table gives for a Totals record, field by field.
#[test]
fn a_totals_record_is_laid_out_as_the_table_says() {
    let mut buf = Vec::new();
    encode(
        &Record::Totals {
            thread: 2,
            ts: 0x0102,
            on_cpu: 3,
            queued: 4,
        },
        &mut buf,
    );
    let mut want = vec![29, 0, 15, 2, 0, 0, 0];
    for field in [0x0102_u64, 3, 4] {
        want.extend_from_slice(&field.to_le_bytes());
    }
    assert_eq!(buf, want);
    assert_eq!(decode(&want[2..20]), Err(WireError::Truncated("on_cpu")));
}

#[test]
fn frames_split_across_reads_are_reassembled() {
    let mut buf = Vec::new();
    encode(&Record::End { ts: 42 }, &mut buf);
    let mut framer = Framer::default();
    framer.push(&buf[..3]);
    assert!(framer.next_record().is_none());
    framer.push(&buf[3..]);
    assert_eq!(framer.next_record(), Some(Ok(Record::End { ts: 42 })));
}

#[test]
fn malformed_payloads_are_errors_not_panics() {
    assert_eq!(decode(&[99]), Err(WireError::UnknownTag(99)));
    assert_eq!(decode(&[]), Err(WireError::Truncated("tag")));
    assert_eq!(decode(&[TAG_END, 1, 2]), Err(WireError::Truncated("ts")));
    assert_eq!(
        decode(&[TAG_THREAD, 0, 0, 0, 0, 2, 0, 0xff, 0xfe]),
        Err(WireError::BadUtf8)
    );
    let mut long = vec![TAG_END];
    long.extend_from_slice(&[0; 12]);
    assert_eq!(decode(&long), Err(WireError::TrailingBytes(4)));
}

#[test]
fn an_oversized_length_is_refused() {
    let mut framer = Framer::default();
    framer.push(&u16::MAX.to_le_bytes());
    assert_eq!(
        framer.next_record(),
        Some(Err(WireError::Oversized(u16::MAX as usize)))
    );
}

#[test]
fn long_strings_are_cut_at_a_char_boundary() {
    let name = "é".repeat(1000);
    let Record::Thread { name: got, .. } = roundtrip(&Record::Thread { thread: 0, name }) else {
        panic!("wrong record");
    };
    assert_eq!(got.len(), 256);
}

/// A cut that falls inside a character backs off to its start: one, two or
/// three bytes back for a four-byte character, never a broken string.
#[test]
fn a_cut_inside_a_character_backs_off_to_its_start() {
    for (prefix, kept) in [("a", 253), ("ab", 254), ("abc", 255), ("abcd", 256)] {
        let name = format!("{prefix}{}", "😀".repeat(100));
        let Record::Thread { name: got, .. } = roundtrip(&Record::Thread {
            thread: 0,
            name: name.clone(),
        }) else {
            panic!("wrong record");
        };
        assert_eq!(got.len(), kept, "after {prefix:?}");
        assert_eq!(got, name[..kept], "after {prefix:?}");
    }
}
