//! Email addresses as the store compares them.

/// The key two email addresses are the same member by: the local part
/// lowercased, the domain lowercased and in IDNA ASCII form (so
/// `bob@EXÄMPLE.com` and `bob@xn--exmple-cua.com` are one address).
/// `None` if the address has not exactly one `@` or its domain does not
/// convert.
pub fn email_key(email: &str) -> Option<String> {
    let (local, domain) = email.split_once('@')?;
    if local.is_empty() || domain.contains('@') || email.chars().any(char::is_control) {
        return None;
    }
    let domain = idna::domain_to_ascii(domain).ok()?;
    (!domain.is_empty()).then(|| format!("{}@{domain}", local.to_lowercase()))
}
