//! cargo's JSON messages (`--message-format json`), typed: the fields the
//! workbook reads, as cargo documents them ("JSON messages" in the cargo
//! book). Unknown reasons and fields are ignored, so a newer cargo that
//! adds some still reads.
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Message {
    /// A diagnostic from the compiler.
    CompilerMessage { message: Diagnostic },
    /// A unit built (or found fresh).
    CompilerArtifact(Artifact),
    /// The end of the build.
    BuildFinished { success: bool },
    /// Build scripts' output and anything newer.
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Diagnostic {
    /// `error`, `warning`, `note`, ...
    pub level: String,
    /// The diagnostic as the compiler prints it.
    pub rendered: Option<String>,
    /// Where in the source it points.
    #[serde(default)]
    pub spans: Vec<DiagnosticSpan>,
}

impl Diagnostic {
    /// The file of the span the diagnostic is about.
    pub fn primary_file(&self) -> Option<&str> {
        self.spans
            .iter()
            .find(|span| span.is_primary)
            .map(|span| span.file_name.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DiagnosticSpan {
    pub file_name: String,
    pub is_primary: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Artifact {
    pub manifest_path: PathBuf,
    pub target: ArtifactTarget,
    pub profile: Profile,
    /// The binary built, for a bin or a test.
    pub executable: Option<PathBuf>,
    /// Already up to date: nothing was compiled.
    #[serde(default)]
    pub fresh: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ArtifactTarget {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Profile {
    /// Built as a test harness.
    pub test: bool,
}

/// One line of cargo's standard output; `None` for a line that is not a
/// message (a build script may print anything there).
pub fn parse(line: &str) -> Option<Message> {
    serde_json::from_str(line).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_messages_are_read_into_their_types() {
        let artifact = r#"{"reason":"compiler-artifact","package_id":"path+file:///w#solutions@0.1.0","manifest_path":"/w/solutions/Cargo.toml","target":{"kind":["lib"],"crate_types":["lib"],"name":"solutions","src_path":"/w/solutions/src/lib.rs","edition":"2024","doc":true,"doctest":true,"test":true},"profile":{"opt_level":"0","debuginfo":1,"debug_assertions":true,"overflow_checks":true,"test":true},"features":[],"filenames":["/w/target/debug/deps/solutions-1"],"executable":"/w/target/debug/deps/solutions-1","fresh":false}"#;
        let Some(Message::CompilerArtifact(artifact)) = parse(artifact) else {
            panic!("not read as an artifact");
        };
        assert!(artifact.profile.test && !artifact.fresh);
        assert_eq!(artifact.target.name, "solutions");
        assert!(artifact.manifest_path.ends_with("solutions/Cargo.toml"));
        assert_eq!(
            artifact.executable.as_deref(),
            Some(std::path::Path::new("/w/target/debug/deps/solutions-1"))
        );
        let message = r#"{"reason":"compiler-message","package_id":"x","manifest_path":"/w/Cargo.toml","target":{"name":"01"},"message":{"rendered":"error[E0425]: cannot find value `x`\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"cannot find value `x`","spans":[{"file_name":"src/other.rs","is_primary":false,"line_start":1},{"file_name":"lessons/01.rs","is_primary":true,"line_start":3}]}}"#;
        let Some(Message::CompilerMessage { message }) = parse(message) else {
            panic!("not read as a compiler message");
        };
        assert_eq!(message.level, "error");
        assert_eq!(
            message.rendered.as_deref(),
            Some("error[E0425]: cannot find value `x`\n")
        );
        assert_eq!(message.primary_file(), Some("lessons/01.rs"));
        assert_eq!(
            parse(r#"{"reason":"build-finished","success":false}"#),
            Some(Message::BuildFinished { success: false })
        );
        assert_eq!(
            parse(r#"{"reason":"build-script-executed","package_id":"x"}"#),
            Some(Message::Other)
        );
        assert_eq!(parse("Hello from a build script"), None);
    }
}
