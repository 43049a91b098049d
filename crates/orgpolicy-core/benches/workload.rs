//! The performance workload: 200 resources x 12 actions, 50 project roles,
//! 2,000 organizations x 5 custom roles, 20,000 members, 1,000,000 checks.
//!
//! Measures compiling the policy, checks through resolved handles, checks
//! through string ids, and the naive reference implementation for the ratio.
//! One iteration of a check benchmark is the whole batch of checks, so the
//! time criterion reports per iteration divided by the batch is the time per
//! check (`cargo xtask bench` prints that table). Memory is counted by a
//! counting global allocator and printed before timing starts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_debug_implementations,
    reason = "benchmark harness"
)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use orgpolicy_core::{AuthorizationCheck, Engine, OrganizationPolicy, Subject, reference};
use orgpolicy_workload::{Shape, Workload};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

#[expect(
    unsafe_code,
    reason = "a global allocator that counts live bytes, delegating to the system allocator"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The naive baseline checks a slice of the workload; a million checks of
/// it take tens of seconds per sample.
const NAIVE_CHECKS: usize = 100_000;

fn workload(c: &mut Criterion) {
    let workload = Workload::generate(Shape::STANDARD, 0x5EED);
    let checks = &workload.checks;
    let orgs = &workload.organization_ids;

    // Memory: the documents, the compiled engine, the resolved role sets.
    let before_documents = live();
    let policy = workload.policy.clone();
    let pairs: Vec<(String, OrganizationPolicy)> = workload.organization_policy_pairs().collect();
    let documents = live() - before_documents;
    let before_engine = live();
    let mut engine = Engine::with_organization_policies(policy, pairs);
    let engine_bytes = live() - before_engine;
    let before_sets = live();
    let subjects: Vec<_> = workload
        .members
        .iter()
        .map(|member| engine.resolve_subject(Some(&orgs[member.organization]), &member.roles))
        .collect();
    let set_bytes = live() - before_sets;
    let distinct_sets = {
        let mut ids: Vec<u32> = subjects.iter().map(|s| s.0).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    };
    eprintln!(
        "memory: documents {:.1} MiB as Rust values; compiled engine +{:.1} MiB over them \
         (interned ids, role bitsets, organization index); {} members -> {} role sets +{:.1} MiB",
        mib(documents),
        mib(engine_bytes),
        workload.members.len(),
        distinct_sets,
        mib(set_bytes),
    );
    let policy_json = serde_json::to_string(&workload.policy).unwrap().len();
    let orgs_json: usize = workload
        .organization_policies
        .iter()
        .map(|p| serde_json::to_string(p).unwrap().len())
        .sum();
    eprintln!(
        "documents as JSON: project policy {:.2} MiB, organization policies {:.2} MiB",
        mib(policy_json),
        mib(orgs_json)
    );

    // Pre-resolved handles for every check.
    let org_handles: Vec<_> = orgs
        .iter()
        .map(|id| engine.resolve_organization(id))
        .collect();
    let handle_checks: Vec<_> = checks
        .iter()
        .map(|check| {
            let resource = &workload.resource_ids[check.resource as usize];
            let action = &workload.action_names[check.action as usize];
            (
                subjects[check.member as usize],
                Some(org_handles[check.organization as usize]),
                engine.resolve_permission(resource, action),
            )
        })
        .collect();
    let allowed = handle_checks
        .iter()
        .filter(|(s, o, p)| engine.is_allowed(*s, *o, *p))
        .count();
    eprintln!(
        "workload: {} checks, {:.1}% allowed",
        checks.len(),
        100.0 * allowed as f64 / checks.len() as f64
    );

    let mut group = c.benchmark_group("workload");
    group.sample_size(10);

    group.throughput(Throughput::Elements(1));
    group.bench_function("compile", |b| {
        b.iter_batched(
            || {
                (
                    workload.policy.clone(),
                    workload.organization_policy_pairs().collect::<Vec<_>>(),
                )
            },
            |(policy, pairs)| Engine::with_organization_policies(policy, pairs),
            BatchSize::LargeInput,
        )
    });

    group.throughput(Throughput::Elements(checks.len() as u64));
    group.bench_function("check_handles", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for &(subject, organization, permission) in &handle_checks {
                allowed +=
                    u32::from(engine.is_allowed(black_box(subject), organization, permission));
            }
            allowed
        })
    });

    let string_checks: Vec<(&str, &[String], &str, &str, &str)> = checks
        .iter()
        .map(|check| {
            let member = &workload.members[check.member as usize];
            (
                orgs[member.organization].as_str(),
                member.roles.as_slice(),
                orgs[check.organization as usize].as_str(),
                workload.resource_ids[check.resource as usize].as_str(),
                workload.action_names[check.action as usize].as_str(),
            )
        })
        .collect();
    group.bench_function("check_strings", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for &(subject_org, roles, check_org, resource, action) in &string_checks {
                allowed += u32::from(
                    engine
                        .authorize_parts(
                            Some(black_box(subject_org)),
                            roles,
                            Some(check_org),
                            resource,
                            action,
                        )
                        .is_ok(),
                );
            }
            allowed
        })
    });

    let documents: BTreeMap<String, OrganizationPolicy> =
        workload.organization_policy_pairs().collect();
    let naive_checks: Vec<(Subject, AuthorizationCheck)> = string_checks
        .iter()
        .take(NAIVE_CHECKS)
        .map(|&(subject_org, roles, check_org, resource, action)| {
            (
                Subject {
                    organization_id: Some(subject_org.to_owned()),
                    roles: roles.to_vec(),
                },
                AuthorizationCheck {
                    organization_id: Some(check_org.to_owned()),
                    resource_id: resource.to_owned(),
                    action: action.to_owned(),
                },
            )
        })
        .collect();
    group.throughput(Throughput::Elements(naive_checks.len() as u64));
    group.bench_function("check_naive", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for (subject, check) in &naive_checks {
                allowed += u32::from(
                    reference::authorize(&workload.policy, &documents, black_box(subject), check)
                        .is_ok(),
                );
            }
            allowed
        })
    });
    group.finish();
}

criterion_group!(benches, workload);
criterion_main!(benches);
