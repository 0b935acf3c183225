//! `meshport_bm25(products_fts, n₀, n₁, …)`: FTS5's bm25, given for each phrase of the query the
//! number of products it is in (nᵢ for phrase i) instead of counting them.
//!
//! FTS5's own bm25 counts them before its first row by reading each phrase's whole list of rows
//! (`xQueryPhrase`, `fts5_aux.c`): about 2 ms a phrase for a word in most of 100,000 products, however
//! few candidates are ranked. A search with words has counted them already, in the bitmaps. The rest
//! is FTS5's own: the same constants, frequencies, lengths and operations in the same order, so the
//! same scores to the last bit (`rank_tests`), with the search rows' column weights ([`WEIGHTS`]).
//!
//! FTS5 has no safe Rust binding, so this module is the crate's one `unsafe` code: the function is
//! registered on each connection through the `fts5_api` pointer SQLite hands out (`SELECT fts5(?1)`),
//! and reads its row through FTS5's extension API.
#![allow(unsafe_code)]

use std::ffi::{c_int, c_void};
use std::ptr;

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

/// The SQL name of the function.
pub(super) const NAME: &str = "meshport_bm25";

/// The weights of the search rows' columns (id, name, description, tags, columns, owners, facet
/// terms): the name weighs most, the id and the facet terms nothing.
pub(super) const WEIGHTS: [f64; 7] = [0.0, 10.0, 2.0, 5.0, 1.0, 3.0, 0.0];

/// FTS5's bm25 constants.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// FTS5's bm25 with [`WEIGHTS`], as SQL.
pub(super) fn fts5_bm25() -> String {
    let weights: Vec<String> = WEIGHTS.iter().map(|w| format!("{w:?}")).collect();
    format!("bm25(products_fts, {})", weights.join(", "))
}

/// Registers [`NAME`] on `conn` (each connection of a cache's pool, as it opens).
pub(super) async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the connection's open handle, locked for this call by `handle` (no other
    // statement runs on it meanwhile), and `create` keeps no pointer beyond the call.
    let rc = unsafe { create(db) };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(
            format!("FTS5 did not take the search's ranking function {NAME} (SQLite code {rc})").into(),
        ))
    }
}

/// Asks `db` for its `fts5_api` and creates the function with it.
///
/// # Safety
/// `db` is an open connection no other thread uses during the call.
unsafe fn create(db: *mut ffi::sqlite3) -> c_int {
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    let mut statement: *mut ffi::sqlite3_stmt = ptr::null_mut();
    // SAFETY: `db` is open (the caller's promise); the statement is finalized below whatever
    // happens; the pointer bound is to `api`, which outlives the statement, and SQLite writes
    // the API's address into it while the statement steps, as its documentation describes.
    unsafe {
        let mut rc = ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut statement,
            ptr::null_mut(),
        );
        if rc == ffi::SQLITE_OK {
            rc = ffi::sqlite3_bind_pointer(
                statement,
                1,
                (&raw mut api).cast::<c_void>(),
                c"fts5_api_ptr".as_ptr(),
                None,
            );
        }
        if rc == ffi::SQLITE_OK {
            rc = ffi::sqlite3_step(statement);
        }
        let finalized = ffi::sqlite3_finalize(statement);
        if rc != ffi::SQLITE_ROW {
            return if rc == ffi::SQLITE_OK {
                ffi::SQLITE_ERROR
            } else {
                rc
            };
        }
        if finalized != ffi::SQLITE_OK {
            return finalized;
        }
        if api.is_null() {
            return ffi::SQLITE_ERROR;
        }
        let Some(create_function) = (*api).xCreateFunction else {
            return ffi::SQLITE_ERROR;
        };
        let name = c"meshport_bm25";
        create_function(api, name.as_ptr(), ptr::null_mut(), Some(bm25), None)
    }
}

/// The function FTS5 calls for each row: the row's score, or an error.
unsafe extern "C" fn bm25(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    context: *mut ffi::sqlite3_context,
    count: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 calls with its extension API, the query's context, the SQL call's context and
    // the `count` arguments after the table's, all valid for the length of the call.
    unsafe {
        match score(&*api, fts, count, values) {
            Ok(score) => ffi::sqlite3_result_double(context, score),
            Err(Failed::Arguments) => ffi::sqlite3_result_error(
                context,
                c"meshport_bm25: give one count of products for each phrase of the query".as_ptr(),
                -1,
            ),
            Err(Failed::Code(rc)) => ffi::sqlite3_result_error_code(context, rc),
        }
    }
}

enum Failed {
    Arguments,
    Code(c_int),
}

fn ok(rc: c_int) -> Result<(), Failed> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(Failed::Code(rc))
    }
}

/// The row's score: FTS5's `fts5Bm25Function` with the IDF of each phrase from the counts given.
///
/// # Safety
/// As [`bm25`]'s arguments.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    count: c_int,
    values: *mut *mut ffi::sqlite3_value,
) -> Result<f64, Failed> {
    let missing = Failed::Code(ffi::SQLITE_MISUSE);
    let (
        Some(phrase_count),
        Some(row_count),
        Some(total_size),
        Some(inst_count),
        Some(inst),
        Some(column_size),
    ) = (
        api.xPhraseCount,
        api.xRowCount,
        api.xColumnTotalSize,
        api.xInstCount,
        api.xInst,
        api.xColumnSize,
    )
    else {
        return Err(missing);
    };
    // SAFETY: the functions are FTS5's, called with its context for this row and pointers to
    // locals; `values` holds `count` arguments (checked to be one per phrase).
    unsafe {
        let phrases = phrase_count(fts);
        if count != phrases || count < 0 {
            return Err(Failed::Arguments);
        }
        let counts = std::slice::from_raw_parts(values, count as usize);
        let mut rows: i64 = 0;
        ok(row_count(fts, &mut rows))?;
        let mut tokens: i64 = 0;
        ok(total_size(fts, -1, &mut tokens))?;
        let average = tokens as f64 / rows as f64;

        // Each phrase's frequency in the row, each instance weighing its column's weight.
        let mut frequency = vec![0.0_f64; counts.len()];
        let mut instances: c_int = 0;
        ok(inst_count(fts, &mut instances))?;
        for i in 0..instances {
            let (mut phrase, mut column, mut offset): (c_int, c_int, c_int) = (0, 0, 0);
            ok(inst(fts, i, &mut phrase, &mut column, &mut offset))?;
            if let Some(f) = frequency.get_mut(phrase as usize) {
                *f += WEIGHTS.get(column as usize).copied().unwrap_or(1.0);
            }
        }
        let mut size: c_int = 0;
        ok(column_size(fts, -1, &mut size))?;
        let length = f64::from(size);

        let mut score = 0.0;
        for (f, value) in frequency.iter().zip(counts) {
            let hits = ffi::sqlite3_value_int64(*value);
            let mut idf = (((rows - hits) as f64 + 0.5) / (hits as f64 + 0.5)).ln();
            if idf <= 0.0 {
                idf = 1e-6;
            }
            score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * length / average)));
        }
        Ok(-score)
    }
}
