//! Policy packs as the platform publishes them: read from and turned into the governance crate's
//! packs, checked before publication, and seeded from the demo mesh's packs.

use meshport_governance::policy::Enforcement as GovEnforcement;
use std::sync::Arc;

use meshport_governance::PolicySet;
use meshport_model::platform::{Enforcement, PolicyPack};

use crate::error::ApiError;
use crate::services::catalog;
use crate::state::AppState;

/// The governance crate's pack of a published pack: its Rego files and a manifest made from its fields.
pub fn pack_to_governance(pack: &PolicyPack) -> Result<meshport_governance::PolicyPack, String> {
    meshport_governance::PolicyPack::from_published(pack).map_err(|e| e.to_string())
}

/// The published form of a governance pack (the demo mesh's, when seeding).
pub fn pack_from_governance(pack: &meshport_governance::PolicyPack) -> PolicyPack {
    PolicyPack {
        name: pack.name.clone(),
        version: pack.version.clone().unwrap_or_else(|| "1.0.0".into()),
        scope: pack.scope.to_string(),
        kinds: pack
            .kinds
            .iter()
            .flatten()
            .map(|k| k.as_str().to_owned())
            .collect(),
        rules: pack
            .rules
            .iter()
            .map(|(rule, level)| {
                let level = match level {
                    GovEnforcement::Required => Enforcement::Required,
                    GovEnforcement::Recommended => Enforcement::Recommended,
                    GovEnforcement::Optional => Enforcement::Optional,
                };
                (rule.clone(), level)
            })
            .collect(),
        files: pack.sources().map(|s| (s.path.clone(), s.text.clone())).collect(),
        published_by: None,
        published_at: None,
    }
}

/// Compares two semantic versions (`MAJOR.MINOR.PATCH`, pre-release tags ignored); `None` when
/// either is not one.
pub fn version_cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    fn parts(v: &str) -> Option<(u64, u64, u64)> {
        let core = v.split(['-', '+']).next()?;
        let mut it = core.split('.').map(|p| p.parse::<u64>().ok());
        let parsed = (it.next()??, it.next()??, it.next()??);
        it.next().is_none().then_some(parsed)
    }
    Some(parts(a)?.cmp(&parts(b)?))
}

/// Builds the policy set of the platform's published packs.
pub fn policy_set(packs: &[meshport_model::platform::PolicyPack]) -> Result<PolicySet, String> {
    let mut compiled = Vec::new();
    for pack in packs {
        compiled.push(pack_to_governance(pack)?);
    }
    PolicySet::new(compiled).map_err(|e| e.to_string())
}

impl AppState {
    /// The platform's published packs, compiled, with their generation (which changes at every
    /// publication, by any process); rebuilt when it changed.
    pub async fn policies(&self) -> Result<(String, Arc<PolicySet>), ApiError> {
        let mut conn = self.store().pool().acquire().await?;
        self.policies_on(&mut conn).await
    }

    /// [`AppState::policies`], reading the generation on `conn`.
    pub async fn policies_on(
        &self,
        conn: &mut sqlx::AnyConnection,
    ) -> Result<(String, Arc<PolicySet>), ApiError> {
        let generation = catalog::packs_generation(&mut *conn).await?;
        let mut cached = self.0.policies.lock().await;
        if let Some((built, set)) = cached.as_ref()
            && *built == generation
        {
            return Ok((generation, set.clone()));
        }
        let packs = catalog::packs_current(self.store()).await?;
        let set = Arc::new(policy_set(&packs).map_err(ApiError::internal)?);
        *cached = Some((generation.clone(), set.clone()));
        Ok((generation, set))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_packs_survive_publication() {
        for pack in meshport_governance::packs::shipped() {
            let published = pack_from_governance(&pack);
            let back = pack_to_governance(&published).unwrap();
            assert_eq!(back.name, pack.name);
            assert_eq!(back.version, pack.version);
            assert_eq!(back.scope, pack.scope);
            assert_eq!(back.rules, pack.rules);
            assert!(
                published.files.keys().any(|f| f.ends_with("_test.rego")),
                "tests travel with the pack"
            );
        }
    }

    #[test]
    fn versions_compare_numerically() {
        use std::cmp::Ordering::*;
        assert_eq!(version_cmp("1.10.0", "1.9.0"), Some(Greater));
        assert_eq!(version_cmp("1.0.0", "1.0.0"), Some(Equal));
        assert_eq!(version_cmp("1.0", "1.0.0"), None);
    }
}
