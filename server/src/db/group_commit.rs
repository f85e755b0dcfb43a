//! Group commit for SQLite: small writes of concurrent requests share one transaction, so
//! they share its flush.
//!
//! Every SQLite commit waits for the write-ahead log to reach the disk (`synchronous` stays
//! as it is: a commit that returned is on the disk). One writer at a time, one flush of a
//! millisecond or more each: under many small writes (a check-in sent, a fetch marking what
//! it got delivered) the writer, not the work, was the limit, and requests queued behind
//! each other's flushes. Here a request hands its write to a queue and takes the write turn;
//! whoever gets the turn runs everything queued by then in one transaction, each write
//! behind its own savepoint (one that fails is rolled back alone), and commits once. Nobody
//! hears "done" before that commit returned, so durability is what it was: only the number
//! of flushes falls, the more the busier the server is. Alone, a write is its own batch.
//!
//! The batch runs in a task of its own holding the turn, so a request that goes away (the
//! phone closed the connection) cannot cut short the writes of others that rode with it.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use sqlx::{AnyConnection, AnyPool, Connection};
use tokio::sync::oneshot;

/// What a write returns: a future borrowing the connection.
pub type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Tells a queued write how its batch ended: `Ok` once committed.
type Finish = Box<dyn FnOnce(Result<(), &sqlx::Error>) + Send>;

/// A queued write: runs on the batch's connection, says whether the connection is still
/// usable (its savepoint released or rolled back), and how to tell its caller the outcome.
type Queued = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, (Finish, bool)> + Send>;

#[derive(Default)]
pub(super) struct Queue(Mutex<Vec<Queued>>);

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queue")
    }
}

impl Queue {
    fn push(&self, write: Queued) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(write);
    }

    fn take(&self) -> Vec<Queued> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Queues `write`, takes the write turn and runs whatever is queued (or finds it already
/// run by the one before), and returns `write`'s outcome once its batch is committed.
pub(super) async fn write<T, E, F>(
    pool: &AnyPool,
    turn: &Arc<tokio::sync::Mutex<()>>,
    queue: &Arc<Queue>,
    write: F,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
{
    let (tell, told) = oneshot::channel::<Result<T, E>>();
    queue.push(Box::new(move |conn| {
        Box::pin(async move {
            let (outcome, usable) = in_savepoint(conn, write).await;
            let finish: Finish = Box::new(move |committed| {
                let result = match (outcome, committed) {
                    (Ok(value), Ok(())) => Ok(value),
                    (Ok(_), Err(e)) => Err(E::from(not_committed(e))),
                    // Its own error stands; its changes were rolled back either way.
                    (Err(e), _) => Err(e),
                };
                // The caller may have gone away: nobody to tell.
                let _ = tell.send(result);
            });
            (finish, usable)
        })
    }));
    // Our write is run by whoever holds the turn next: us, or one queued before us who
    // takes the queue along with theirs (then the answer may come before the turn does).
    let mut told = told;
    let held = tokio::select! {
        biased;
        result = &mut told => return result.unwrap_or_else(|_| Err(not_run())),
        held = Arc::clone(turn).lock_owned() => held,
    };
    if let Ok(result) = told.try_recv() {
        return result;
    }
    let batch = queue.take();
    if !batch.is_empty() {
        let pool = pool.clone();
        // Awaited, but not cancelled with this request: the task keeps the turn until done.
        let running = tokio::spawn(async move {
            run(&pool, batch).await;
            drop(held);
        });
        if running.await.is_err() {
            tracing::error!("a group commit panicked");
        }
    }
    // Our write was in this batch: it was still queued, as nobody told us before the turn.
    told.await.unwrap_or_else(|_| Err(not_run()))
}

/// One batch: one transaction, each write in a savepoint, one commit; then everyone told.
async fn run(pool: &AnyPool, batch: Vec<Queued>) {
    // IMMEDIATE: the write lock from the start, so a batch never finds its snapshot stale
    // when a writer outside the turn (there are a few rare ones) wrote in between.
    let mut tx = match pool.begin_with("BEGIN IMMEDIATE").await {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "a group commit could not begin");
            // Dropping the writes drops their senders: each caller hears "not run".
            return;
        }
    };
    let mut finishes = Vec::with_capacity(batch.len());
    let mut usable = true;
    let mut rest = batch.into_iter();
    for write in rest.by_ref() {
        let (finish, ok) = write(&mut tx).await;
        finishes.push(finish);
        if !ok {
            usable = false;
            break;
        }
    }
    // Not run (the connection broke under an earlier one): dropped, their callers hear so.
    drop(rest);
    let committed = if usable {
        tx.commit().await
    } else {
        // Rolled back when dropped.
        Err(sqlx::Error::Protocol("a savepoint could not be closed".into()))
    };
    if let Err(e) = &committed {
        tracing::error!(error = %e, writes = finishes.len(), "a group commit failed");
    }
    for finish in finishes {
        finish(committed.as_ref().map(|_| ()));
    }
}

/// Runs `write` in a savepoint: released when it succeeds, rolled back when it fails. The
/// second value is false when the savepoint could not be closed (the connection is then not
/// to be trusted with the others' writes).
async fn in_savepoint<T, E, F>(conn: &mut AnyConnection, write: F) -> (Result<T, E>, bool)
where
    E: From<sqlx::Error>,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>>,
{
    let mut savepoint = match conn.begin().await {
        Ok(sp) => sp,
        Err(e) => return (Err(E::from(e)), false),
    };
    match write(&mut savepoint).await {
        Ok(value) => match savepoint.commit().await {
            Ok(()) => (Ok(value), true),
            Err(e) => (Err(E::from(e)), false),
        },
        Err(e) => {
            let usable = savepoint.rollback().await.is_ok();
            (Err(e), usable)
        }
    }
}

fn not_run<E: From<sqlx::Error>>() -> E {
    E::from(sqlx::Error::Protocol("a queued write was not run".into()))
}

fn not_committed(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("the group commit failed: {e}"))
}
