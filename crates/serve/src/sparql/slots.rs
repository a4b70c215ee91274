//! The evaluation slots queries take turns on, shared fairly between clients.
//!
//! At most `max_total` queries run at once, and one client (its bearer token when it sends
//! one, else its address) holds at most `max_per_client` of them: a client at its share is
//! answered at once with a 503, and another waits at most [`Slots::acquire`]'s `wait` for a
//! free slot, then gets a 503 too. Both 503s carry `Retry-After`: the seconds until the
//! soonest of the relevant running queries reaches its time limit.
//!
//! Every running query's [`QueryHandle`] is registered here, so that the server can stop
//! them all when it shuts down ([`Slots::stop_all`]); after that, no slot is given.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use ldtcat_sparql::{QueryHandle, StopReason};
use tokio::sync::Notify;

/// Who a query is counted against: a hash of the bearer token, or the client's address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// A bearer token (its hash; the token itself is not kept).
    Token(u64),
    /// An IP address.
    Address(std::net::IpAddr),
    /// Neither is known (in-process requests).
    Unknown,
}

/// Why no slot was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// The client already runs its share of the slots.
    ClientShare {
        /// Its share.
        share: usize,
        /// When to try again.
        retry_after: Duration,
    },
    /// Every slot stayed taken while the query waited.
    Full {
        /// When to try again.
        retry_after: Duration,
    },
    /// The server is shutting down.
    ShuttingDown,
}

struct Running {
    client: ClientKey,
    deadline: Instant,
    handle: QueryHandle,
}

#[derive(Default)]
struct State {
    running: HashMap<u64, Running>,
    next_id: u64,
    closed: bool,
}

/// The slots of one endpoint.
pub struct Slots {
    max_total: usize,
    max_per_client: usize,
    state: Mutex<State>,
    freed: Notify,
}

/// A slot held by one query; dropping it frees the slot.
pub struct SlotGuard {
    slots: Arc<Slots>,
    id: u64,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.slots.lock().running.remove(&self.id);
        self.slots.freed.notify_waiters();
    }
}

impl Slots {
    /// `max_total` slots, at most `max_per_client` for one client (both at least 1).
    pub fn new(max_total: usize, max_per_client: usize) -> Slots {
        let max_total = max_total.max(1);
        Slots {
            max_total,
            max_per_client: max_per_client.clamp(1, max_total),
            state: Mutex::new(State::default()),
            freed: Notify::new(),
        }
    }

    /// Slots in all.
    pub fn max_total(&self) -> usize {
        self.max_total
    }

    /// Slots one client may hold.
    pub fn max_per_client(&self) -> usize {
        self.max_per_client
    }

    /// Queries running now.
    pub fn running(&self) -> usize {
        self.lock().running.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A slot for `client`'s query (stopped through `handle` at shutdown, ending at most
    /// `runs_for` after it starts), waiting at most `wait` for one to free.
    pub async fn acquire(
        self: &Arc<Self>,
        client: ClientKey,
        handle: QueryHandle,
        runs_for: Duration,
        wait: Duration,
    ) -> Result<SlotGuard, Busy> {
        let give_up = tokio::time::Instant::now() + wait;
        loop {
            // Registered before the state is read, so that no freed slot is missed.
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            {
                let mut state = self.lock();
                if state.closed {
                    return Err(Busy::ShuttingDown);
                }
                let now = Instant::now();
                let of_client = state.running.values().filter(|r| r.client == client);
                if of_client.clone().count() >= self.max_per_client {
                    return Err(Busy::ClientShare {
                        share: self.max_per_client,
                        retry_after: soonest(of_client.map(|r| r.deadline), now),
                    });
                }
                if state.running.len() < self.max_total {
                    let id = state.next_id;
                    state.next_id += 1;
                    state.running.insert(
                        id,
                        Running {
                            client,
                            deadline: now + runs_for,
                            handle,
                        },
                    );
                    return Ok(SlotGuard {
                        slots: Arc::clone(self),
                        id,
                    });
                }
                if tokio::time::Instant::now() >= give_up {
                    return Err(Busy::Full {
                        retry_after: soonest(state.running.values().map(|r| r.deadline), now),
                    });
                }
            }
            let _ = tokio::time::timeout_at(give_up, freed).await;
        }
    }

    /// Stops every running query and gives no slot from now on; returns how many were
    /// stopped.
    pub fn stop_all(&self, reason: StopReason) -> usize {
        let mut state = self.lock();
        state.closed = true;
        for running in state.running.values() {
            running.handle.stop(reason);
        }
        let stopped = state.running.len();
        drop(state);
        self.freed.notify_waiters();
        stopped
    }
}

/// Whole seconds (at least 1) until the soonest of `deadlines`.
fn soonest(deadlines: impl Iterator<Item = Instant>, now: Instant) -> Duration {
    let soonest = deadlines
        .map(|deadline| deadline.saturating_duration_since(now))
        .min()
        .unwrap_or_default();
    Duration::from_secs(soonest.as_secs_f64().ceil().max(1.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ldtcat_sparql::{SparqlEngine, SparqlLimits};

    fn handle() -> QueryHandle {
        let store = oxigraph::store::Store::new().expect("store");
        SparqlEngine::new(store, SparqlLimits::default()).handle()
    }

    fn address(last: u8) -> ClientKey {
        ClientKey::Address(std::net::IpAddr::from([127, 0, 0, last]))
    }

    #[tokio::test]
    async fn a_client_at_its_share_is_refused_at_once_and_others_still_get_slots() {
        let slots = Arc::new(Slots::new(4, 2));
        let deadline = Duration::from_secs(7);
        let wait = Duration::from_secs(5);
        let first = slots.acquire(address(1), handle(), deadline, wait).await;
        let second = slots.acquire(address(1), handle(), deadline, wait).await;
        assert!(first.is_ok() && second.is_ok());
        let started = Instant::now();
        let third = slots.acquire(address(1), handle(), deadline, wait).await;
        assert!(started.elapsed() < Duration::from_millis(100), "no wait");
        let Err(Busy::ClientShare { share, retry_after }) = third else {
            panic!("share refused");
        };
        assert_eq!(share, 2);
        assert!((6..=7).contains(&retry_after.as_secs()), "{retry_after:?}");
        assert!(slots
            .acquire(address(2), handle(), deadline, wait)
            .await
            .is_ok());
        drop(first);
        assert!(slots
            .acquire(address(1), handle(), deadline, wait)
            .await
            .is_ok());
    }

    #[tokio::test]
    async fn a_waiting_query_gets_a_freed_slot_or_gives_up_after_its_wait() {
        let slots = Arc::new(Slots::new(1, 1));
        let deadline = Duration::from_secs(3);
        let held = slots
            .acquire(address(1), handle(), deadline, Duration::ZERO)
            .await
            .expect("free");
        let started = Instant::now();
        let refused = slots
            .acquire(address(2), handle(), deadline, Duration::from_millis(300))
            .await;
        assert!(matches!(refused, Err(Busy::Full { .. })));
        assert!(started.elapsed() >= Duration::from_millis(300));
        let waiting = {
            let slots = Arc::clone(&slots);
            tokio::spawn(async move {
                slots
                    .acquire(address(2), handle(), deadline, Duration::from_secs(5))
                    .await
                    .is_ok()
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        drop(held);
        assert!(waiting.await.expect("joins"), "the freed slot was given");
    }

    #[tokio::test]
    async fn stop_all_stops_the_running_queries_and_closes_the_slots() {
        let slots = Arc::new(Slots::new(2, 2));
        let running = handle();
        let deadline = Duration::from_secs(3);
        let _held = slots
            .acquire(address(1), running.clone(), deadline, Duration::ZERO)
            .await
            .expect("free");
        assert_eq!(slots.stop_all(StopReason::ShuttingDown), 1);
        assert_eq!(running.stopped(), Some(StopReason::ShuttingDown));
        let refused = slots
            .acquire(address(2), handle(), deadline, Duration::from_secs(1))
            .await;
        assert!(matches!(refused, Err(Busy::ShuttingDown)));
    }
}
