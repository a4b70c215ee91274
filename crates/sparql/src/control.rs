//! Stopping a query that runs: why it was stopped, the handle that stops it, and the watchdog
//! that stops it when its time is up.
//!
//! A [`QueryHandle`] wraps the evaluator's cancellation token (which also carries the query's
//! memory budget and maximal string length, see `vendor/spareval`) and the first reason it
//! was stopped for. The server keeps a clone of every running query's handle: it stops the
//! query when the client hangs up ([`StopReason::ClientGone`]) or when the server shuts down
//! ([`StopReason::ShuttingDown`]); the watchdog stops it at its time limit.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use oxigraph::sparql::CancellationToken;

/// Why a running query was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// It reached its time limit.
    TimeLimit,
    /// The client closed the connection before the answer.
    ClientGone,
    /// The server is shutting down.
    ShuttingDown,
}

impl StopReason {
    fn code(self) -> u8 {
        match self {
            StopReason::TimeLimit => 1,
            StopReason::ClientGone => 2,
            StopReason::ShuttingDown => 3,
        }
    }

    fn from_code(code: u8) -> Option<StopReason> {
        match code {
            1 => Some(StopReason::TimeLimit),
            2 => Some(StopReason::ClientGone),
            3 => Some(StopReason::ShuttingDown),
            _ => None,
        }
    }
}

/// Stops one query, from any thread; clones stop the same query.
#[derive(Clone)]
pub struct QueryHandle {
    token: CancellationToken,
    reason: Arc<AtomicU8>,
}

impl QueryHandle {
    /// A handle for a query evaluated with these bounds.
    pub(crate) fn new(memory_budget: usize, max_string_length: usize) -> QueryHandle {
        QueryHandle {
            token: CancellationToken::new()
                .with_memory_budget(memory_budget)
                .with_max_string_length(max_string_length),
            reason: Arc::new(AtomicU8::new(0)),
        }
    }

    /// Stops the query as soon as its evaluation next checks (the first reason is kept).
    pub fn stop(&self, reason: StopReason) {
        let _ = self
            .reason
            .compare_exchange(0, reason.code(), Ordering::SeqCst, Ordering::SeqCst);
        self.token.cancel();
    }

    /// Why the query was stopped, if it was.
    pub fn stopped(&self) -> Option<StopReason> {
        StopReason::from_code(self.reason.load(Ordering::SeqCst))
    }

    /// The evaluator's token.
    pub(crate) fn token(&self) -> &CancellationToken {
        &self.token
    }
}

/// Stops a query at its time limit, unless dropped first (when the evaluation ends).
pub(crate) struct Watchdog {
    _done: mpsc::Sender<()>,
}

impl Watchdog {
    pub(crate) fn start(handle: QueryHandle, timeout: Duration) -> Watchdog {
        let (done, finished) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(timeout) {
                handle.stop(StopReason::TimeLimit);
            }
        });
        Watchdog { _done: done }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reason_is_kept_and_clones_stop_the_same_query() {
        let handle = QueryHandle::new(usize::MAX, usize::MAX);
        let clone = handle.clone();
        assert_eq!(handle.stopped(), None);
        clone.stop(StopReason::ClientGone);
        handle.stop(StopReason::TimeLimit);
        assert_eq!(handle.stopped(), Some(StopReason::ClientGone));
        assert!(handle.token().is_cancelled());
    }

    #[test]
    fn the_watchdog_stops_at_the_time_limit_and_not_after_it_is_dropped() {
        let late = QueryHandle::new(usize::MAX, usize::MAX);
        drop(Watchdog::start(late.clone(), Duration::from_millis(50)));
        let stopped = QueryHandle::new(usize::MAX, usize::MAX);
        let _watchdog = Watchdog::start(stopped.clone(), Duration::from_millis(50));
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(stopped.stopped(), Some(StopReason::TimeLimit));
        assert_eq!(late.stopped(), None);
    }
}
