//! Argon2id passphrase hashing on a small fixed pool of threads, with a bounded queue and
//! one reused block of memory per thread.
//!
//! - **Bounded work.** Argon2id takes 19 MiB and tens of milliseconds of a core per hash, on
//!   purpose. One thread per core does them; at most [`Hasher::new`]'s `capacity` hashes may
//!   be queued or running. Over that, a request is refused at once with
//!   [`ApiError::Busy`] (503 and `Retry-After`) instead of waiting in a queue that a burst
//!   of unauthenticated sign-ups could make arbitrarily long (and arbitrarily large).
//! - **Bounded memory.** Each thread keeps its 19 MiB of blocks and reuses it for every hash
//!   (`hash_password_into_with_memory`), so the allocator never collects a heap of freed
//!   Argon2 blocks: the hashing memory is threads × 19 MiB, whatever the load.
//!
//! - **Second to answering.** The hashing threads run at a lower scheduling priority (nice
//!   [`NICE`]) than the threads that answer requests: on a small machine, two hashes take
//!   every core, and a burst of refusals (503) or another user's sync would otherwise wait
//!   for the CPU behind them. When nothing else wants the CPU, hashes run at full speed.
//!
//! The PHC strings are the same as `Argon2::default()` writes, so existing hashes verify.

use crate::http::error::ApiError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Hashes queued or running, per hashing thread, before new ones are refused.
pub const DEFAULT_QUEUE_PER_THREAD: usize = 8;
/// How much lower the hashing threads' priority is: added to the nice value they start
/// with (0 is normal, 19 the lowest).
pub const NICE: i32 = 10;
/// What a refused request is told to wait, in seconds.
const RETRY_AFTER_S: u64 = 2;

type Job = Box<dyn FnOnce() + Send>;

/// How costly new hashes are. Always [`HashCost::Standard`] in a running server (no
/// setting reaches the other); [`HashCost::Minimal`] is for the integration tests, whose
/// unoptimised build takes about a second per standard hash. Checking a stored hash always
/// uses the parameters stored with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HashCost {
    /// Argon2id with the OWASP parameters (19 MiB, 2 passes, 1 lane): the argon2 crate's
    /// defaults.
    #[default]
    Standard,
    /// 8 KiB, 1 pass: for tests only.
    Minimal,
}

impl HashCost {
    fn params(self) -> Params {
        match self {
            HashCost::Standard => Params::default(),
            HashCost::Minimal => Params::new(8, 1, 1, None).unwrap_or_default(),
        }
    }
}

/// The hashing threads of one server, and how many hashes they hold.
#[derive(Clone)]
pub struct Hasher {
    sender: std::sync::mpsc::Sender<Job>,
    held: Arc<AtomicUsize>,
    capacity: usize,
    params: Arc<Params>,
    /// A hash of nothing anyone knows, made with these parameters (see [`Slot::verify`]).
    decoy: Arc<OnceLock<String>>,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher")
            .field("capacity", &self.capacity)
            .finish()
    }
}

thread_local! {
    /// This hashing thread's Argon2 memory, reused by every hash it runs.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

impl Hasher {
    /// One thread per core; at most `capacity` hashes held (`None`: [`DEFAULT_QUEUE_PER_THREAD`]
    /// per thread). The threads end when the last clone of the `Hasher` is dropped.
    pub fn new(capacity: Option<usize>, cost: HashCost) -> Hasher {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = Arc::new(std::sync::Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    // On Linux the nice value is each thread's own: this one only. Relative
                    // to what it inherited, so a server started with `nice` stays below.
                    let inherited = rustix::process::getpriority_process(None).unwrap_or(0);
                    if let Err(e) = rustix::process::setpriority_process(None, (inherited + NICE).min(19)) {
                        tracing::warn!(error = %e, "could not lower a hashing thread's priority");
                    }
                    loop {
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a hashing thread");
            }
        }
        Hasher {
            sender,
            held: Arc::new(AtomicUsize::new(0)),
            capacity: capacity.unwrap_or(threads * DEFAULT_QUEUE_PER_THREAD).max(1),
            params: Arc::new(cost.params()),
            decoy: Arc::new(OnceLock::new()),
        }
    }

    /// A place in the queue, or [`ApiError::Busy`] at once when it is full. Take it before
    /// any other work for the request, so a refusal costs nothing.
    pub fn slot(&self) -> Result<Slot, ApiError> {
        if self.held.fetch_add(1, Ordering::SeqCst) >= self.capacity {
            self.held.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::Busy {
                retry_after_s: RETRY_AFTER_S,
            });
        }
        Ok(Slot {
            held: Held(self.held.clone()),
            sender: self.sender.clone(),
            params: self.params.clone(),
            decoy: self.decoy.clone(),
        })
    }
}

/// One counted place in the queue; given back when dropped, used or not.
struct Held(Arc<AtomicUsize>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A place in a [`Hasher`]'s queue, for one hash or one check.
pub struct Slot {
    held: Held,
    sender: std::sync::mpsc::Sender<Job>,
    params: Arc<Params>,
    decoy: Arc<OnceLock<String>>,
}

impl Slot {
    /// Runs `job` on a hashing thread and waits for it.
    async fn run<T: Send + 'static>(self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let held = self.held;
        let (done, answer) = tokio::sync::oneshot::channel();
        self.sender
            .send(Box::new(move || {
                let result = job();
                // Given back before the answer, so whoever reads it finds the place free.
                drop(held);
                let _ = done.send(result);
            }))
            .map_err(|_| ApiError::Internal("no hashing thread".to_owned()))?;
        answer
            .await
            .map_err(|_| ApiError::Internal("a hashing thread stopped".to_owned()))
    }

    /// A new Argon2id hash (PHC string) of `passphrase`.
    pub async fn hash(self, passphrase: String) -> Result<String, ApiError> {
        let params = self.params.clone();
        self.run(move || hash_now(&params, passphrase.as_bytes()))
            .await?
            .map_err(|e| ApiError::Internal(format!("hashing failed: {e}")))
    }

    /// Whether `passphrase` matches `hash`; with `None` (no such account) it checks against a
    /// decoy, so that takes as long, and is always false.
    pub async fn verify(self, passphrase: String, hash: Option<String>) -> Result<bool, ApiError> {
        let (params, decoy) = (self.params.clone(), self.decoy.clone());
        self.run(move || {
            let real = hash.is_some();
            let hash = hash.unwrap_or_else(|| {
                decoy
                    .get_or_init(|| hash_now(&params, b"no account has this passphrase").unwrap_or_default())
                    .clone()
            });
            real && verify_now(passphrase.as_bytes(), &hash)
        })
        .await
    }
}

/// Argon2id into this thread's reused blocks.
fn argon2_into(params: &Params, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let needed = params.block_count();
        if blocks.len() < needed {
            blocks.resize(needed, Block::default());
        }
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone()).hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut blocks[..needed],
        )
    })
}

fn hash_now(params: &Params, password: &[u8]) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(params, password, salt_raw, &mut out).map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

fn verify_now(password: &[u8], hash: &str) -> bool {
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(hash).ok()?;
        if parsed.algorithm != Algorithm::Argon2id.ident() {
            return None;
        }
        let params = Params::try_from(&parsed).ok()?;
        let expected = parsed.hash?;
        let mut salt_bytes = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let mut out = vec![0u8; expected.len()];
        argon2_into(&params, password, salt, &mut out).ok()?;
        // `Output`'s equality is constant-time.
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};

    #[tokio::test]
    async fn hashing_round_trips_and_the_decoy_never_matches() {
        let hasher = Hasher::new(None, HashCost::Standard);
        let slot = || hasher.slot().unwrap();
        let hash = slot().hash("en lang nok passfrase".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(slot()
            .verify("en lang nok passfrase".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!slot()
            .verify("feil passfrase!!".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!slot()
            .verify("no account has this passphrase".into(), None)
            .await
            .unwrap());
        // The same PHC strings as the argon2 crate's own: old hashes verify, new ones are standard.
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(Argon2::default()
            .verify_password(b"en lang nok passfrase", &parsed)
            .is_ok());
        let old = Argon2::default()
            .hash_password(b"gammel passfrase", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(slot().verify("gammel passfrase".into(), Some(old)).await.unwrap());
        // A hash made cheaply (tests) is checked by its own stored parameters.
        let cheap = Hasher::new(None, HashCost::Minimal)
            .slot()
            .unwrap()
            .hash("billig".into())
            .await
            .unwrap();
        assert!(cheap.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{cheap}");
        assert!(slot().verify("billig".into(), Some(cheap)).await.unwrap());
    }

    #[tokio::test]
    async fn hashing_threads_run_below_the_answering_ones() {
        let before = rustix::process::getpriority_process(None).unwrap();
        let hasher = Hasher::new(Some(2), HashCost::Minimal);
        let on_hashing_thread = hasher
            .slot()
            .unwrap()
            .run(|| rustix::process::getpriority_process(None).unwrap())
            .await
            .unwrap();
        assert_eq!(on_hashing_thread, (before + NICE).min(19));
        // Only those threads: this one (and the runtime's) keep their priority.
        assert_eq!(rustix::process::getpriority_process(None).unwrap(), before);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_frees_its_places() {
        let hasher = Hasher::new(Some(2), HashCost::Minimal);
        let first = hasher.slot().unwrap();
        let second = hasher.slot().unwrap();
        assert!(matches!(hasher.slot(), Err(ApiError::Busy { retry_after_s: 2 })));
        // A place is given back whether it was used or not.
        drop(first);
        assert!(second.run(|| ()).await.is_ok());
        let a = hasher.slot().unwrap();
        let b = hasher.slot().unwrap();
        assert!(hasher.slot().is_err());
        drop((a, b));
        assert!(hasher.slot().is_ok());
    }
}
