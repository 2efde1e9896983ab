//! The timeline's one-line legend on a whole screen: whole at 120 columns,
//! shortened at 80 to whole entries and a pointer to the help, which shows
//! it in full.
use super::*;
use crate::tui::chart::tests::sampled;
use crate::views::glyphs::{AWAITING, Glyph, KERNEL, LANE, POLLING};

/// The timeline pane's last line, inside its border.
fn status_line(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| -> String {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .find(|row| row.contains(" lanes · "))
        .and_then(|row| Some(row.split_once('┃')?.1.rsplit_once('┃')?.0.to_string()))
        .expect("the timeline pane has a status line")
}

fn entry(glyph: &Glyph) -> String {
    format!("{} {} ", glyph.ch, glyph.short)
}

#[test]
fn the_timeline_legend_is_whole_at_120_columns_and_shortened_at_80() {
    // A threads lesson with the kernel sampled, like lesson 01 in a real run.
    let mut app = with_run_of(sampled(false));
    let shown: Vec<&Glyph> = LANE
        .iter()
        .chain(&KERNEL)
        .filter(|g| ![POLLING, AWAITING].contains(&g.ch))
        .collect();

    let line = status_line(&draw(&mut app, 120, 40));
    for glyph in &shown {
        assert!(
            line.contains(&entry(glyph)),
            "{:?} missing: {line:?}",
            glyph.ch
        );
    }
    assert!(!line.contains("full legend"), "nothing left out: {line:?}");
    assert!(!line.contains('…'), "{line:?}");
    assert!(
        line.ends_with(' '),
        "nothing runs into the border: {line:?}"
    );

    let line = status_line(&draw(&mut app, 80, 24));
    assert!(line.trim_end().ends_with("? full legend"), "{line:?}");
    assert!(
        line.ends_with(' '),
        "nothing runs into the border: {line:?}"
    );
    let legend = &line[line.find(crate::views::glyphs::RUNNING).expect(&line)..];
    for glyph in &shown[..2] {
        assert!(
            legend.contains(&entry(glyph)),
            "the most seen stay: {line:?}"
        );
    }
    for glyph in &shown {
        if legend.contains(glyph.ch) {
            assert!(
                legend.contains(&entry(glyph)),
                "{:?} cut: {line:?}",
                glyph.ch
            );
        }
    }
    assert!(
        shown.iter().any(|g| !legend.contains(g.ch)),
        "at 80 columns something gives way: {line:?}"
    );
}
