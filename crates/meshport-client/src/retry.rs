//! When a call is tried again, and how long the client waits before it does.

use std::time::Duration;

/// Bounded exponential backoff with jitter, for the calls that are safe to repeat.
///
/// The wait before retry `n` (1 for the first) is a uniformly random point in the upper half of
/// `initial × 2ⁿ⁻¹`, capped at `max` ("equal jitter"): clients that failed together do not come back
/// together, and no wait is shorter than half the exponential one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// How many times a call is sent at most, the first included; 1 turns retries off.
    pub attempts: u32,
    /// The ceiling of the first wait.
    pub initial: Duration,
    /// The ceiling of every wait, a `Retry-After` the platform asks for included.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            attempts: 4,
            initial: Duration::from_millis(200),
            max: Duration::from_secs(5),
        }
    }
}

impl Backoff {
    /// No retries: every call is sent once.
    pub fn none() -> Backoff {
        Backoff {
            attempts: 1,
            ..Backoff::default()
        }
    }

    /// The wait before retry `retry` (1-based).
    pub fn delay(&self, retry: u32) -> Duration {
        self.delay_with(retry, fastrand::f64())
    }

    /// The wait before retry `retry` with `random` in `[0, 1)` as the jitter.
    pub(crate) fn delay_with(&self, retry: u32, random: f64) -> Duration {
        let ceiling = self.ceiling(retry);
        let half = ceiling / 2;
        half + (ceiling - half).mul_f64(random.clamp(0.0, 1.0))
    }

    /// `initial × 2^(retry-1)`, capped at `max`.
    pub(crate) fn ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial.saturating_mul(1u32 << doublings).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_within_their_bounds() {
        let backoff = Backoff {
            attempts: 6,
            initial: Duration::from_millis(100),
            max: Duration::from_secs(1),
        };
        let ceilings: Vec<u128> = (1..=6).map(|n| backoff.ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        for retry in 1..=6 {
            let ceiling = backoff.ceiling(retry);
            assert_eq!(backoff.delay_with(retry, 0.0), ceiling / 2);
            assert_eq!(backoff.delay_with(retry, 1.0), ceiling);
            for _ in 0..200 {
                let delay = backoff.delay(retry);
                assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay:?} for {retry}");
            }
        }
    }

    #[test]
    fn huge_retry_numbers_stay_at_the_cap() {
        let backoff = Backoff::default();
        assert_eq!(backoff.ceiling(0), backoff.initial);
        assert_eq!(backoff.ceiling(40), backoff.max);
        assert_eq!(backoff.ceiling(u32::MAX), backoff.max);
        assert!(backoff.delay(u32::MAX) <= backoff.max);
    }

    #[test]
    fn out_of_range_jitter_is_clamped() {
        let backoff = Backoff::default();
        assert_eq!(backoff.delay_with(1, -3.0), backoff.initial / 2);
        assert_eq!(backoff.delay_with(1, 7.0), backoff.initial);
    }
}
