//! What organization and member search share: combining filter results
//! with the query's operator, and cursor pages over results in key order.
//! A cursor is the last key of the previous page, base64url-encoded.

use crate::error::ApiError;
use base64::Engine as _;
use orgpolicy_api::organization::{FilterValue, SearchOperator, SearchQuery};
use orgpolicy_core::Problem;
use serde_json::{Value, json};
use std::collections::HashSet;

/// A filter made ready to match: strings lowercased once, lists as sets,
/// so matching costs one hash lookup or substring search per item.
pub(crate) enum Operand {
    AnyOf(String, HashSet<String>),
    Contains(String, String),
    Flag(String, bool),
}

pub(crate) fn prepare(query: &SearchQuery) -> Vec<Operand> {
    query
        .operands
        .iter()
        .map(|filter| {
            let name = filter.filter_name.clone();
            match &filter.filter_value {
                FilterValue::Strings(values) => {
                    Operand::AnyOf(name, values.iter().map(|v| v.to_lowercase()).collect())
                }
                FilterValue::Text(text) => Operand::Contains(name, text.to_lowercase()),
                FilterValue::Flag(flag) => Operand::Flag(name, *flag),
            }
        })
        .collect()
}

/// Whether an item passes the query, given each operand's result.
pub(crate) fn passes(query: &SearchQuery, mut results: impl Iterator<Item = bool>) -> bool {
    match query.operator {
        _ if query.operands.is_empty() => true,
        SearchOperator::And => results.all(|passed| passed),
        SearchOperator::Or => results.any(|passed| passed),
    }
}

/// One page of results and the `results_metadata` to answer with it.
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    pub metadata: Value,
}

/// The page of `selected` (every result, ordered by `key`) that follows the
/// query's cursor.
pub(crate) fn page<T>(
    selected: Vec<T>,
    query: &SearchQuery,
    key: impl Fn(&T) -> &str,
) -> Result<Page<T>, ApiError> {
    let after = query
        .cursor
        .as_ref()
        .map(|cursor| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(cursor)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| {
                    ApiError::invalid(vec![Problem::error(
                        orgpolicy_api::codes::INVALID_SEARCH_QUERY,
                        "/cursor",
                        "the cursor is not one this API issued",
                    )])
                })
        })
        .transpose()?;
    let total = selected.len();
    let limit = query.limit as usize;
    let mut items: Vec<T> = selected
        .into_iter()
        .filter(|item| after.as_deref().is_none_or(|after| key(item) > after))
        .take(limit + 1)
        .collect();
    let next_cursor = (items.len() > limit)
        .then(|| items.get(limit.saturating_sub(1)))
        .flatten()
        .map(|last| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key(last)));
    items.truncate(limit);
    Ok(Page {
        items,
        // `next_cursor` is optional in the SDKs' types: absent on the last page.
        metadata: match next_cursor {
            Some(cursor) => json!({"total": total, "next_cursor": cursor}),
            None => json!({"total": total}),
        },
    })
}
