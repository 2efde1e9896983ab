use super::{LIMIT, within};
use crate::ex::relaxed_flag::Mailbox;

#[test]
fn delivers_one_message() {
    isolated!();
    within(LIMIT, "send or try_receive never returned", || {
        let mailbox = Mailbox::new();
        assert_eq!(mailbox.try_receive(), None, "a message before any was sent");
        mailbox.send(42);
        assert_eq!(mailbox.try_receive(), Some(42));
        assert_eq!(
            mailbox.try_receive(),
            Some(42),
            "the message stays readable"
        );
    });
}

#[test]
fn a_reader_on_another_thread_gets_the_message() {
    isolated!();
    let seen = within(LIMIT, "the reader never saw the message", || {
        let mailbox = Mailbox::new();
        std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                loop {
                    if let Some(message) = mailbox.try_receive() {
                        return message;
                    }
                    std::hint::spin_loop();
                }
            });
            mailbox.send(7);
            reader.join().unwrap()
        })
    });
    assert_eq!(seen, 7, "the reader read {seen}, the writer sent 7");
}
