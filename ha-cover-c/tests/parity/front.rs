//! What the runner asks of a front end, and the run of a scenario through
//! one: the same steps, recorded the same way.

use crate::scenario::{
    Counts, Ctrl, Ev, Op, Outcome, Scenario, Step, Target, Transcript, replace_acts,
};
use crate::servers::Server;

/// A front end under test: the sync cover, the tokio cover or the C ABI.
pub trait FrontEnd {
    /// Covers the scenario's connection; it is member 0.
    fn open(&mut self, scenario: &Scenario, server: &Server);
    /// Adds a dup of member `n`.
    fn dup(&mut self, n: usize);
    fn op(&mut self, n: usize, op: &Op) -> Outcome;
    fn ctrl(&mut self, n: usize, ctrl: Ctrl);
    fn counts(&mut self, n: usize) -> Counts;
    fn events(&mut self) -> Vec<Ev>;
    /// Closes every member.
    fn close(&mut self);
}

/// Runs `scenario` through `front` against a fresh server.
pub fn run(front: &mut impl FrontEnd, scenario: &Scenario) -> Transcript {
    let server = Server::start(&scenario.target);
    crate::scenario::set_script(
        scenario.script.clone(),
        &server.path(),
        crate::scenario::open_flags(&scenario.target),
    );
    front.open(scenario, &server);
    let mut ops = Vec::new();
    for step in &scenario.steps {
        match step {
            Step::Op(n, op) => {
                let outcome = front.op(*n, op);
                ops.push((outcome, front.counts(*n)));
            }
            Step::Dup(n) => front.dup(*n),
            Step::Kill => server.kill(),
            Step::Down => server.down(),
            Step::Up => server.up(),
            Step::Ctrl(n, ctrl) => front.ctrl(*n, *ctrl),
            Step::Script(acts) => replace_acts(acts.clone()),
        }
    }
    let mut events = front.events();
    front.close();
    if matches!(scenario.target, Target::Socket { .. }) {
        // A socket whose server died with bytes unread reads ECONNRESET once,
        // then end-of-file; which one a client meets first depends on whether
        // the server read them before the SIGKILL, not on the front end.
        for (_, counts) in &mut ops {
            if counts.last_errno == libc::ECONNRESET {
                counts.last_errno = 0;
            }
        }
        for event in &mut events {
            if *event
                == (Ev::Failed {
                    errno: libc::ECONNRESET,
                })
            {
                *event = Ev::Failed { errno: 0 };
            }
        }
    }
    Transcript {
        ops,
        events,
        calls: crate::scenario::calls(),
        file_after: server.backing(),
    }
}
