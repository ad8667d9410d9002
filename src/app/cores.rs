//! Work spread over every core: `privcheck verify` and `report` of thousands of files.

/// Runs `work(worker, workers)` on each of `workers` threads (one per core, at most one per
/// item of `items`) and returns what each gave, in worker order. Worker `w` of `n` takes
/// the items `w`, `w + n`, `w + 2n`...: the split [`items_of`] gives.
pub fn per_worker<T: Send>(items: usize, work: impl Fn(usize, usize) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, items.max(1));
    if workers == 1 {
        return vec![work(0, 1)];
    }
    std::thread::scope(|s| {
        let work = &work;
        let handles: Vec<_> = (0..workers).map(|w| s.spawn(move || work(w, workers))).collect();
        handles.into_iter().map(|h| h.join().expect("a worker thread panicked")).collect()
    })
}

/// The items (of `items`) worker `worker` of `workers` takes.
pub fn items_of(items: usize, worker: usize, workers: usize) -> impl Iterator<Item = usize> {
    (worker..items).step_by(workers.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_taken_once_whatever_the_cores() {
        let got = per_worker(1001, |w, n| items_of(1001, w, n).collect::<Vec<_>>());
        let mut all: Vec<usize> = got.into_iter().flatten().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1001).collect::<Vec<_>>());
        assert_eq!(per_worker(0, |w, n| (w, n)), [(0, 1)], "no items: one worker, nothing to do");
    }
}
