//! A results file as a NIST OSCAL 1.1.2 assessment-results document (JSON).
//!
//! The mapping:
//!
//! - `assessment-results`: one per results file. `metadata.last-modified` is the latest
//!   answer or sign-off time in the file (never "now", so exporting the same file twice
//!   gives the same bytes); `metadata.version` is the file's content digest; `import-ap`
//!   points (`#UUID`) to a back-matter resource standing for the checklist set, which plays
//!   the assessment plan's part.
//! - one `results` entry: `start` and `end` are the first and last day of the period
//!   (00:00:00Z and 23:59:59Z); `reviewed-controls` includes all of the checklist items;
//!   `remarks` lists the sign-offs and what each is worth (valid, unsigned, void, invalid).
//! - one `finding` per checklist item, in checklist order, whose `target` is
//!   `{type: "objective-id", target-id: ITEM}` with `status.state` `satisfied` (pass, and
//!   not applicable) or `not-satisfied` (fail, and unreviewed: nothing was shown to be met)
//!   and `status.reason` `pass`, `fail`, `not-applicable` or `unreviewed`; a not-applicable
//!   item's reason is in `status.remarks`.
//! - one `observation` per item with a note or evidence: the note is its description, each
//!   evidence a `relevant-evidence` (with `href` when it is an http(s) URL), `methods`
//!   `["EXAMINE"]`, `collected` the answer's time.
//! - one `risk` per failed item, `status` `open`, `deadline` the remediation's due date
//!   (23:59:59Z), and a `planned` remediation response naming the owner and ticket (also
//!   as `props`).
//!
//! - the sign-offs: each signer a `party` (`person`, with the email), each role a `role`,
//!   and a `responsible-party` per role naming its signers, whose remarks say when each
//!   signed and what the sign-off is worth; the same in the result's `remarks`.
//! - the back-matter resource standing for the assessment plan carries its content
//!   (`base64`, `privcheck-checklists.json`: the checklists and versions answered).
//!
//! UUIDs are version 5 (name-based, SHA-1), in the namespace [`NAMESPACE`], from the JSON
//! array `[KIND, PRODUCT, PERIOD]` or `[KIND, PRODUCT, PERIOD, ITEM]` (KIND is one of
//! `assessment-results`, `result`, `assessment-plan`, `finding`, `observation`, `risk`,
//! `remediation`, `party`, the last with the signer's email in place of ITEM): the same product, period and item always get the same UUIDs, whichever
//! file they come from, so re-exports diff cleanly.
//!
//! privcheck's own properties (`severity`, `owner`, `ticket`, `due`, `answered-by`,
//! `carried-from`, `product`, `period`, `signoff`) carry `ns` [`PROP_NS`]. Texts in markup
//! fields (titles, descriptions, remarks) are escaped as Markdown; property values are
//! one line (several lines are joined with spaces, and kept in the property's remarks) with
//! control characters made visible.

use crate::model::checklist::ChecklistSet;
use crate::model::period::Period;
use crate::model::results::{Answer, Results, Status, format_timestamp};
use crate::model::signoff::{Signature, overall};
use crate::render::report::{escape_markdown_block, signoff_statuses};
use crate::render::text::{escape_controls, escape_markdown};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

/// The namespace of privcheck's v5 UUIDs (a random v4 UUID, chosen once, never to change).
pub const NAMESPACE: Uuid = Uuid::from_u128(0xf6ff6f88_e2fc_4ddd_90b8_5c570e13855f);

/// The namespace of privcheck's OSCAL properties: an https URL, as OSCAL tools require (a
/// name, never fetched).
pub const PROP_NS: &str = "https://privcheck.example/ns/oscal";

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.2";

/// The v5 UUID of `parts` (see the module documentation).
pub fn uuid(parts: &[&str]) -> String {
    let name = serde_json::to_string(parts).expect("strings always serialise");
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "assessment-results")]
    assessment_results: AssessmentResults,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentResults {
    uuid: String,
    metadata: Metadata,
    import_ap: ImportAp,
    results: Vec<ResultEntry>,
    back_matter: BackMatter,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parties: Vec<Party>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    responsible_parties: Vec<ResponsibleParty>,
}

#[derive(Serialize)]
struct Role {
    id: String,
    title: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Party {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_addresses: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResponsibleParty {
    role_id: String,
    party_uuids: Vec<String>,
    remarks: String,
}

#[derive(Serialize)]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
    /// The value as written, when it had several lines (the value has them joined).
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
struct ImportAp {
    href: String,
}

#[derive(Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct Resource {
    uuid: String,
    title: String,
    description: String,
    base64: Base64,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Base64 {
    filename: String,
    media_type: &'static str,
    value: String,
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                out.push(char::from(A[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResultEntry {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    start: String,
    end: String,
    reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    risks: Vec<Risk>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<Finding>,
    remarks: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    control_selections: Vec<ControlSelection>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    description: String,
    include_all: IncludeAll,
}

#[derive(Serialize)]
struct IncludeAll {}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Finding {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    target: Target,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_risks: Vec<RelatedRisk>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Target {
    #[serde(rename = "type")]
    kind: &'static str,
    target_id: String,
    status: TargetStatus,
}

#[derive(Serialize)]
struct TargetStatus {
    state: &'static str,
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedObservation {
    observation_uuid: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedRisk {
    risk_uuid: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Observation {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    methods: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relevant_evidence: Vec<RelevantEvidence>,
    collected: String,
}

#[derive(Serialize)]
struct RelevantEvidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Risk {
    uuid: String,
    title: String,
    description: String,
    statement: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    remediations: Vec<Response>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Response {
    uuid: String,
    lifecycle: &'static str,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
}

/// A property, when `value` has any text: one line (several lines are joined with spaces,
/// and kept as they were in the property's remarks), trimmed, control characters visible.
fn prop(name: &'static str, value: &str) -> Option<Prop> {
    let lines: Vec<&str> = value.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let value = escape_controls(&lines.join(" ")).trim().to_string();
    let remarks = (lines.len() > 1).then(|| markup(&lines.join("\n"), ""));
    (!value.is_empty()).then_some(Prop { name, ns: PROP_NS, value, remarks })
}

/// Multi-line text as Markdown paragraphs, each line escaped; `fallback` when empty.
fn markup(text: &str, fallback: &str) -> String {
    let paras: Vec<String> = text.lines().map(escape_markdown_block).filter(|l| !l.is_empty()).collect();
    if paras.is_empty() { fallback.to_string() } else { paras.join("\n\n") }
}

/// One line of Markdown (a title), never empty.
fn line(text: &str, fallback: &str) -> String {
    let l = escape_markdown(text.trim());
    if l.trim().is_empty() { fallback.to_string() } else { l }
}

fn start_of(p: Period) -> String {
    format!("{}T00:00:00Z", p.first_day())
}

fn end_of_day(d: jiff::civil::Date) -> String {
    format!("{d}T23:59:59Z")
}

/// The latest answer or sign-off time in `results`, if any.
pub fn latest_time(results: &Results) -> Option<Timestamp> {
    results.answers.iter().filter_map(|a| a.at).chain(results.signoffs.iter().map(|s| s.at)).max()
}

/// An http(s) URL without spaces or control characters: usable as an `href`.
fn as_href(evidence: &str) -> Option<String> {
    let e = evidence.trim();
    let url = (e.starts_with("https://") || e.starts_with("http://"))
        && !e.chars().any(|c| {
            c.is_whitespace() || c.is_control() || crate::render::text::is_hazard(c) || c == '"' || c == '<' || c == '>'
        });
    url.then(|| e.to_string())
}

/// The content of the back-matter resource standing for the assessment plan: the JSON
/// `{"privcheck_checklists":[{"id","version"}]}` of the checklists the review answered.
fn plan_content(results: &Results) -> String {
    let list: Vec<serde_json::Value> =
        results.checklists.iter().map(|c| serde_json::json!({"id": c.id, "version": c.version})).collect();
    serde_json::json!({ "privcheck_checklists": list }).to_string()
}

/// Is `s` an OSCAL token: a letter or `_`, then letters, digits, `.`, `-`, `_`?
fn is_token(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && cs.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// `email` when it looks like an email address OSCAL accepts (`^.+@.+$`, one line).
fn as_email(email: &str) -> Option<String> {
    let e = email.trim();
    let ok = e.split_once('@').is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || crate::render::text::is_hazard(c));
    ok.then(|| e.to_string())
}

/// `results` (answering `set`) as an OSCAL assessment-results document: pretty JSON with
/// a final newline, the same bytes for the same file.
pub fn export(results: &Results, set: &ChecklistSet, signatures: &[Signature]) -> String {
    let product = results.product.as_str();
    let period = results.period.to_string();
    let ids = |kind: &str| uuid(&[kind, product, &period]);
    let item_id = |kind: &str, item: &str| uuid(&[kind, product, &period, item]);
    let last_modified = latest_time(results).map_or_else(|| start_of(results.period), format_timestamp);
    let name = line(product, "(unnamed product)");

    let mut findings = Vec::new();
    let mut observations = Vec::new();
    let mut risks = Vec::new();
    for item in set.items() {
        let fallback;
        let a = match results.answer(&item.id) {
            Some(a) => a,
            None => {
                fallback = Answer::unreviewed(item, String::new());
                &fallback
            }
        };
        let title = line(&format!("{}: {}", item.id, item.question), &item.id);
        let mut description = markup(&item.question, "(no question)");
        for c in &item.cite {
            description.push_str(&format!(
                "\n\nPolicy: {}, effective {}, {}: “{}”",
                escape_markdown(&c.document),
                escape_markdown(&c.effective),
                escape_markdown(&c.section),
                escape_markdown(&c.quote)
            ));
        }
        let observation = (!a.note.trim().is_empty() || !a.evidence.is_empty()).then(|| Observation {
            uuid: item_id("observation", &item.id),
            title: line(&format!("Review of {}", item.id), "Review"),
            description: markup(&a.note, "Evidence recorded; no note."),
            props: prop("answered-by", &a.by).into_iter().collect(),
            methods: vec!["EXAMINE"],
            relevant_evidence: a
                .evidence
                .iter()
                .map(|e| RelevantEvidence { href: as_href(e), description: line(e, "(empty)") })
                .collect(),
            collected: a.at.map_or_else(|| last_modified.clone(), format_timestamp),
        });
        let related_observations: Vec<RelatedObservation> =
            observation.iter().map(|o| RelatedObservation { observation_uuid: o.uuid.clone() }).collect();
        observations.extend(observation);
        let mut related_risks = Vec::new();
        if a.status == Status::Fail {
            let r = a.remediation.clone().unwrap_or_default();
            let remediation = a.remediation.as_ref().map(|r| Response {
                uuid: item_id("remediation", &item.id),
                lifecycle: "planned",
                title: line(&format!("Remediation of {}", item.id), "Remediation"),
                description: format!(
                    "Owner: {}. Due: {}. Ticket: {}.",
                    line(&r.owner, "none"),
                    r.due.map_or_else(|| "none".to_string(), |d| d.to_string()),
                    line(&r.ticket, "none")
                ),
                props: [
                    prop("owner", &r.owner),
                    prop("ticket", &r.ticket),
                    prop("due", &r.due.map(|d| d.to_string()).unwrap_or_default()),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
            let risk = Risk {
                uuid: item_id("risk", &item.id),
                title: title.clone(),
                description: format!(
                    "{} ({} severity) is not met: {}",
                    escape_markdown(&item.id),
                    item.severity,
                    line(&item.question, "(no question)")
                ),
                statement: markup(&a.note, "No note recorded."),
                props: [prop("severity", item.severity.as_str()), prop("owner", &r.owner), prop("ticket", &r.ticket)]
                    .into_iter()
                    .flatten()
                    .collect(),
                status: "open",
                deadline: r.due.map(end_of_day),
                remediations: remediation.into_iter().collect(),
                related_observations: related_observations
                    .iter()
                    .map(|o| RelatedObservation { observation_uuid: o.observation_uuid.clone() })
                    .collect(),
            };
            related_risks.push(RelatedRisk { risk_uuid: risk.uuid.clone() });
            risks.push(risk);
        }
        let (state, reason, remarks) = match a.status {
            Status::Pass => ("satisfied", "pass", None),
            Status::Fail => ("not-satisfied", "fail", None),
            Status::NotApplicable => {
                ("satisfied", "not-applicable", Some(markup(&a.reason, "Not applicable; no reason given.")))
            }
            Status::Unreviewed => (
                "not-satisfied",
                "unreviewed",
                Some(match &a.carried {
                    Some(c) if c.changed => format!(
                        "Not reviewed in {period}: the item changed since {} (answered {} there).",
                        c.from,
                        c.status.as_str()
                    ),
                    _ => format!("Not reviewed in {period}."),
                }),
            ),
        };
        let carried_from = a.carried.as_ref().filter(|c| !c.changed).map(|c| c.from.to_string()).unwrap_or_default();
        findings.push(Finding {
            uuid: item_id("finding", &item.id),
            title,
            description,
            props: [
                prop("severity", item.severity.as_str()),
                prop("answered-by", &a.by),
                prop("carried-from", &carried_from),
            ]
            .into_iter()
            .flatten()
            .collect(),
            target: Target {
                kind: "objective-id",
                target_id: item.id.clone(),
                status: TargetStatus { state, reason, remarks },
            },
            related_observations,
            related_risks,
        });
    }

    let statuses = signoff_statuses(results, signatures);
    let describe = |s: &crate::model::results::SignOff, state: &crate::model::signoff::SignOffStatus| {
        format!(
            "Sign-off: {} {} ({}), {}: {}.",
            line(&s.role, "(no role)"),
            line(&s.name, "(no name)"),
            line(&s.email, "no email"),
            format_timestamp(s.at),
            state.explain()
        )
    };
    let signoffs: Vec<String> = results.signoffs.iter().zip(&statuses).map(|(s, st)| describe(s, st)).collect();
    // The sign-offs as OSCAL parties (one per person: an email) and responsible roles.
    let mut roles: Vec<Role> = Vec::new();
    let mut parties: Vec<Party> = Vec::new();
    let mut responsible: Vec<ResponsibleParty> = Vec::new();
    for (s, state) in results.signoffs.iter().zip(&statuses) {
        let email = s.email.trim().to_lowercase();
        let party = uuid(&["party", product, &period, &email]);
        if !parties.iter().any(|p| p.uuid == party) {
            parties.push(Party {
                uuid: party.clone(),
                kind: "person",
                name: line(&s.name, "(no name)"),
                email_addresses: as_email(&s.email).into_iter().collect(),
            });
        }
        // A role id is a token; privcheck's roles are words (lower-case letters, digits, '-').
        let role = if is_token(&s.role) { s.role.clone() } else { "signer".to_string() };
        if !roles.iter().any(|r| r.id == role) {
            let mut title = role.replace('-', " ");
            if let Some(first) = title.get(..1) {
                title = first.to_uppercase() + &title[1..];
            }
            roles.push(Role { id: role.clone(), title });
        }
        match responsible.iter_mut().find(|r| r.role_id == role) {
            Some(r) => {
                if !r.party_uuids.contains(&party) {
                    r.party_uuids.push(party);
                }
                r.remarks.push_str("\n\n");
                r.remarks.push_str(&describe(s, state));
            }
            None => responsible.push(ResponsibleParty {
                role_id: role,
                party_uuids: vec![party],
                remarks: describe(s, state),
            }),
        }
    }
    let remarks = if signoffs.is_empty() { "Not signed off.".to_string() } else { signoffs.join("\n\n") };
    let checklists: Vec<String> =
        results.checklists.iter().map(|c| format!("{} (version {})", escape_markdown(&c.id), c.version)).collect();
    let plan = ids("assessment-plan");
    let doc = Document {
        assessment_results: AssessmentResults {
            uuid: ids("assessment-results"),
            metadata: Metadata {
                title: format!("privcheck results: {name}, {period}"),
                last_modified: last_modified.clone(),
                version: results.content_digest(),
                oscal_version: OSCAL_VERSION,
                props: [prop("product", product), prop("period", &period)].into_iter().flatten().collect(),
                roles,
                parties,
                responsible_parties: responsible,
            },
            import_ap: ImportAp { href: format!("#{plan}") },
            results: vec![ResultEntry {
                uuid: ids("result"),
                title: format!("Privacy policy review of {name} for {period}"),
                description: format!(
                    "The answers of the privcheck review of {name} for {period} to the privacy-policy checklists: one finding per checklist item."
                ),
                props: prop("signoff", overall(&statuses).as_str()).into_iter().collect(),
                start: start_of(results.period),
                end: end_of_day(results.period.last_day()),
                reviewed_controls: ReviewedControls {
                    control_selections: vec![ControlSelection {
                        description: "Every item of the privcheck checklist set.".to_string(),
                        include_all: IncludeAll {},
                    }],
                },
                observations,
                risks,
                findings,
                remarks,
            }],
            back_matter: BackMatter {
                resources: vec![Resource {
                    uuid: plan,
                    title: "privcheck checklists (in place of an assessment plan)".to_string(),
                    description: if checklists.is_empty() {
                        "The privcheck checklist set.".to_string()
                    } else {
                        format!("The privcheck checklist set: {}.", checklists.join(", "))
                    },
                    // Its content: the checklists and versions the review answered.
                    base64: Base64 {
                        filename: "privcheck-checklists.json".to_string(),
                        media_type: "application/json",
                        value: base64(plan_content(results).as_bytes()),
                    },
                }],
            },
        },
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("plain data always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::report::tests::results;

    #[test]
    fn uuids_are_v5_stable_and_distinct() {
        let a = uuid(&["finding", "Checkout", "2026-Q4", "minors.age-gate"]);
        assert_eq!(a, uuid(&["finding", "Checkout", "2026-Q4", "minors.age-gate"]));
        assert_eq!(&a[14..15], "5");
        assert_ne!(a, uuid(&["risk", "Checkout", "2026-Q4", "minors.age-gate"]));
        assert_ne!(a, uuid(&["finding", "Checkout", "2026-Q3", "minors.age-gate"]));
        // No ambiguity from joining: ["a,b"] is not ["a", "b"].
        assert_ne!(uuid(&["a,b"]), uuid(&["a", "b"]));
        // Pinned: changing the namespace or the naming would break every stored export.
        assert_eq!(uuid(&["result", "Checkout", "2026-Q4"]), "f29a6658-debd-5c8b-a283-804fb3c20688");
    }

    #[test]
    fn maps_each_status() {
        let (s, r) = results();
        let doc: serde_json::Value = serde_json::from_str(&export(&r, &s, &[])).unwrap();
        let res = &doc["assessment-results"]["results"][0];
        let findings = res["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 5);
        let status = |i: usize| {
            (findings[i]["target"]["status"]["state"].clone(), findings[i]["target"]["status"]["reason"].clone())
        };
        assert_eq!(status(0), ("not-satisfied".into(), "fail".into()));
        assert_eq!(status(2), ("satisfied".into(), "not-applicable".into()));
        assert_eq!(status(3), ("satisfied".into(), "pass".into()));
        assert_eq!(status(4), ("not-satisfied".into(), "unreviewed".into()));
        assert_eq!(findings[2]["target"]["status"]["remarks"], "Out of scope: \"Apps?\" answered no.");
        let risks = res["risks"].as_array().unwrap();
        assert_eq!(risks.len(), 2);
        assert_eq!(risks[0]["deadline"], "2020-01-01T23:59:59Z");
        assert_eq!(risks[0]["remediations"][0]["lifecycle"], "planned");
        assert_eq!(findings[0]["related-risks"][0]["risk-uuid"], risks[0]["uuid"]);
        let obs = res["observations"].as_array().unwrap();
        assert_eq!(obs[0]["relevant-evidence"][0]["href"], "https://tickets.example.com/PRIV-1");
        assert_eq!(findings[0]["related-observations"][0]["observation-uuid"], obs[0]["uuid"]);
        assert_eq!(res["start"], "2026-10-01T00:00:00Z");
        assert_eq!(res["end"], "2026-12-31T23:59:59Z");
        // The latest time in the file: the sign-off.
        assert_eq!(doc["assessment-results"]["metadata"]["last-modified"], "2026-09-21T14:15:00Z");
    }

    #[test]
    fn hrefs_only_for_plain_urls() {
        assert_eq!(as_href(" https://x.example/a?b=c "), Some("https://x.example/a?b=c".into()));
        assert_eq!(as_href("src/main.rs"), None);
        assert_eq!(as_href("https://x.example/a b"), None);
        assert_eq!(as_href("javascript:alert(1)"), None);
    }
}
