//! The browser's entry points: a C ABI small enough to drive from plain JavaScript, with no
//! generated glue (pages opened from disk cannot load ES modules, and the engine should not
//! need a JavaScript build step).
//!
//! Protocol, all lengths in bytes; a "result" is read with `result_ptr()` and `result_len()`
//! and stays valid until the next call:
//! 1. `alloc(len)` returns a buffer; the caller copies the index's head into it and calls
//!    `open_index(ptr, len)`, which takes ownership and returns 0 when the engine is open, -1
//!    with the error message as the result, or 1 with the chunks it needs as the result
//!    (`[[n, "file name"], …]` in JSON): add them and call `open_index` again.
//! 2. `add_chunk(n, ptr, len)` hands over chunk `n` as fetched (a buffer from `alloc`, whose
//!    ownership passes to the engine). The engine checks it when a search first reads it.
//! 3. For each query: `alloc` a buffer, copy the request JSON into it, call `search(ptr, len)`;
//!    it frees the request and returns a pointer to the result: the response JSON, or
//!    `{"need": [[n, "file name"], …]}` (add those chunks and search again), or
//!    `{"error": "…"}` (a damaged index).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::{Engine, Error, SearchRequest};

type Arrived = Arc<Mutex<HashMap<usize, Vec<u8>>>>;

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// Chunks the page added that the engine has not read yet.
    static ARRIVED: Arrived = Arc::new(Mutex::new(HashMap::new()));
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// # Safety
/// `ptr` must come from `alloc(len)` with the same `len`, and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
}

/// Takes a buffer from `alloc(len)` that the caller has filled.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    Vec::from_raw_parts(ptr, len, len.max(1))
}

fn set_result(bytes: Vec<u8>) -> *const u8 {
    RESULT.with(|r| {
        *r.borrow_mut() = bytes;
        r.borrow().as_ptr()
    })
}

fn needed(chunks: &[(usize, String)]) -> Vec<u8> {
    serde_json::to_vec(chunks).unwrap_or_default()
}

/// # Safety
/// `ptr` must come from `alloc(len)`, filled with `len` bytes; ownership passes to the engine.
#[no_mangle]
pub unsafe extern "C" fn open_index(ptr: *mut u8, len: usize) -> i32 {
    let head = take(ptr, len);
    let arrived = ARRIVED.with(Arc::clone);
    let source = move |n: usize, _: &str| {
        arrived
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&n)
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::WouldBlock))
    };
    match Engine::open_lazy(&head, Box::new(source)) {
        Ok(engine) => {
            ENGINE.with(|e| *e.borrow_mut() = Some(engine));
            set_result(Vec::new());
            0
        }
        Err(Error::Missing(chunks)) => {
            set_result(needed(&chunks));
            1
        }
        Err(err) => {
            set_result(err.to_string().into_bytes());
            -1
        }
    }
}

/// # Safety
/// `ptr` must come from `alloc(len)`, filled with `len` bytes; ownership passes to the engine.
#[no_mangle]
pub unsafe extern "C" fn add_chunk(n: usize, ptr: *mut u8, len: usize) {
    let bytes = take(ptr, len);
    ARRIVED.with(|a| a.lock().unwrap_or_else(|e| e.into_inner()).insert(n, bytes));
}

/// # Safety
/// `ptr` must come from `alloc(len)`, filled with `len` bytes of request JSON; ownership passes
/// to the engine.
#[no_mangle]
pub unsafe extern "C" fn search(ptr: *mut u8, len: usize) -> *const u8 {
    let request = take(ptr, len);
    // A malformed request (only the page's own script sends them) is an empty query.
    let request: SearchRequest = serde_json::from_slice(&request).unwrap_or_default();
    let answer = ENGINE.with(|e| {
        e.borrow()
            .as_ref()
            .map(|engine| engine.try_search(&request))
    });
    let json = match answer {
        Some(Ok(response)) => serde_json::to_vec(&response),
        Some(Err(Error::Missing(chunks))) => {
            serde_json::to_vec(&serde_json::json!({ "need": chunks }))
        }
        Some(Err(err)) => serde_json::to_vec(&serde_json::json!({ "error": err.to_string() })),
        None => serde_json::to_vec(&serde_json::json!({ "error": "no index is open" })),
    };
    set_result(json.unwrap_or_default())
}

#[no_mangle]
pub extern "C" fn result_ptr() -> *const u8 {
    RESULT.with(|r| r.borrow().as_ptr())
}

#[no_mangle]
pub extern "C" fn result_len() -> u32 {
    RESULT.with(|r| r.borrow().len() as u32)
}

/// Randomness for getrandom's custom backend (both getrandom 0.3 and 0.4 call this symbol).
///
/// Only index writing draws random numbers (segment ids); reading does not. A fixed sequence
/// rather than an error keeps any unexpected caller working instead of panicking.
///
/// # Safety
/// `dest` must be valid for `len` bytes of writes.
#[no_mangle]
unsafe extern "Rust" fn __getrandom_v03_custom(
    dest: *mut u8,
    len: usize,
) -> Result<(), getrandom03::Error> {
    thread_local! {
        static STATE: std::cell::Cell<u64> = const { std::cell::Cell::new(0x853c_49e6_748f_ea9b) };
    }
    for i in 0..len {
        let byte = STATE.with(|s| {
            // splitmix64
            let mut z = s.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
            s.set(z);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as u8
        });
        dest.add(i).write(byte);
    }
    Ok(())
}
