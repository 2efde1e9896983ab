//! The house rules that the compiler does not check.
//!
//! No import cycle between the files of `src/` (the app's crate and each
//! crate that lives inside `src/`, one graph each): each file's `crate::`,
//! `super::`, `self::` and child-module paths (in `use` and in code) are
//! resolved to the file that defines the module they reach, and the graph of
//! files must have no cycle. A cycle means two files cannot be read, tested or
//! moved apart; the test prints each cycle it finds.
//!
//! One kind of edge is not counted: a module's uses of its own submodules'
//! files (`mod.rs` re-exporting or calling what `mod x;` made it of). The
//! submodules may use their parent; the parent is built from them.
//!
//! The files are tokenized with `proc-macro2` (comments, strings, raw strings
//! and lifetimes are the lexer's problem, not a hand-written scanner's).
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type ModPath = Vec<String>;

/// The crate's modules, as its `mod` declarations lay them out.
struct Crate {
    /// Module path → the file that holds it (inline modules share their
    /// parent's file).
    modules: BTreeMap<ModPath, PathBuf>,
    /// Files in the order they were found, with their token streams.
    files: Vec<(PathBuf, ModPath, TokenStream)>,
}

fn parse(file: &Path) -> TokenStream {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", file.display()));
    text.parse()
        .unwrap_or_else(|err| panic!("cannot tokenize {}: {err:?}", file.display()))
}

/// Where the files of `module`'s child modules live: beside `lib.rs` and
/// `mod.rs`, in a folder named after any other file.
fn child_dir(file: &Path) -> PathBuf {
    let dir = file.parent().expect("a file has a folder").to_path_buf();
    match file.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "mod.rs") => dir,
        _ => dir.join(file.file_stem().expect("a file has a name")),
    }
}

impl Crate {
    fn load(lib: &Path) -> Crate {
        let mut krate = Crate {
            modules: BTreeMap::new(),
            files: Vec::new(),
        };
        krate.add_file(lib.to_path_buf(), Vec::new());
        krate
    }

    fn add_file(&mut self, file: PathBuf, module: ModPath) {
        let tokens = parse(&file);
        self.modules.insert(module.clone(), file.clone());
        let dir = child_dir(&file);
        // A `#[path]` outside inline modules is relative to the file's own
        // folder; inside one, to the folder its modules would be in.
        let path_base = file.parent().expect("a file has a folder").to_path_buf();
        self.add_modules(&file, &dir, &path_base, &module, tokens.clone());
        self.files.push((file, module, tokens));
    }

    /// Follows `mod name;` (a file) and `mod name { … }` (inline) in
    /// `tokens`, which belong to `module` in `file`.
    fn add_modules(
        &mut self,
        file: &Path,
        dir: &Path,
        path_base: &Path,
        module: &ModPath,
        tokens: TokenStream,
    ) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut path_attr: Option<String> = None;
        for (i, token) in tokens.iter().enumerate() {
            if let TokenTree::Group(group) = token
                && group.delimiter() == Delimiter::Bracket
            {
                path_attr = path_attribute(group.stream()).or(path_attr);
                continue;
            }
            let TokenTree::Ident(ident) = token else {
                continue;
            };
            if ident != "mod" {
                if ident != "pub" && ident != "crate" {
                    path_attr = None;
                }
                continue;
            }
            let Some(TokenTree::Ident(name)) = tokens.get(i + 1) else {
                continue;
            };
            let mut child = module.clone();
            child.push(name.to_string());
            match tokens.get(i + 2) {
                Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {
                    self.modules.insert(child.clone(), file.to_path_buf());
                    let inner = dir.join(name.to_string());
                    self.add_modules(file, &inner, &inner, &child, body.stream());
                }
                Some(TokenTree::Punct(p)) if p.as_char() == ';' => {
                    let flat = dir.join(format!("{name}.rs"));
                    let found = if let Some(relative) = path_attr.take() {
                        path_base.join(relative)
                    } else if flat.exists() {
                        flat
                    } else {
                        dir.join(name.to_string()).join("mod.rs")
                    };
                    assert!(
                        found.exists(),
                        "{}: `mod {name};` has no file {}",
                        file.display(),
                        found.display()
                    );
                    self.add_file(found, child);
                }
                _ => {}
            }
        }
    }

    /// The module a file holds (not its inline modules).
    fn module_of(&self, file: &Path) -> Option<&ModPath> {
        self.files
            .iter()
            .find(|(f, _, _)| f == file)
            .map(|(_, module, _)| module)
    }

    /// The file a path from `module` reaches: the deepest module of the
    /// crate its leading segments name. `None` for other crates.
    fn resolve(&self, module: &ModPath, path: &[String]) -> Option<&PathBuf> {
        let mut at: ModPath;
        let mut rest = path;
        match path.first().map(String::as_str) {
            Some("crate") => {
                at = Vec::new();
                rest = &path[1..];
            }
            Some("self") => {
                at = module.clone();
                rest = &path[1..];
            }
            Some("super") => {
                at = module.clone();
                while rest.first().map(String::as_str) == Some("super") {
                    at.pop()?;
                    rest = &rest[1..];
                }
            }
            Some(first) => {
                // A relative path: only a child module of this one is ours.
                let mut child = module.clone();
                child.push(first.to_string());
                if !self.modules.contains_key(&child) {
                    return None;
                }
                at = module.clone();
            }
            None => return None,
        }
        for segment in rest {
            let mut next = at.clone();
            next.push(segment.clone());
            if !self.modules.contains_key(&next) {
                break;
            }
            at = next;
        }
        self.modules.get(&at)
    }
}

/// `path = "…"` inside `#[…]`.
fn path_attribute(stream: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    match tokens.as_slice() {
        [
            TokenTree::Ident(name),
            TokenTree::Punct(eq),
            TokenTree::Literal(lit),
        ] if name == "path" && eq.as_char() == '=' => {
            Some(lit.to_string().trim_matches('"').to_string())
        }
        _ => None,
    }
}

/// Every path in `tokens` as (module it is written in, segments): the
/// leaves of `use` trees, and `a::b::c` sequences in code.
fn paths(module: &ModPath, tokens: TokenStream, out: &mut Vec<(ModPath, Vec<String>)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(ident) if ident == "use" => {
                let end = tokens[i..]
                    .iter()
                    .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
                    .map_or(tokens.len(), |n| i + n);
                use_tree(module, &[], &tokens[i + 1..end], out);
                i = end + 1;
            }
            TokenTree::Ident(ident) if ident == "mod" => {
                // An inline module: its paths are relative to it.
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(body))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                    && body.delimiter() == Delimiter::Brace
                {
                    let mut inner = module.clone();
                    inner.push(name.to_string());
                    paths(&inner, body.stream(), out);
                    i += 3;
                } else {
                    i += 1;
                }
            }
            TokenTree::Ident(_) => {
                let (segments, next) = path_at(&tokens, i);
                if segments.len() > 1 {
                    out.push((module.clone(), segments));
                }
                i = next.max(i + 1);
            }
            TokenTree::Group(group) => {
                paths(module, group.stream(), out);
                i += 1;
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => i += 1,
        }
    }
}

fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':'
    )
}

/// The path `ident :: ident :: …` starting at `i`, and the index after it.
fn path_at(tokens: &[TokenTree], mut i: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    while let Some(TokenTree::Ident(ident)) = tokens.get(i) {
        segments.push(ident.to_string());
        if is_path_sep(tokens, i + 1) {
            i += 3;
        } else {
            return (segments, i + 1);
        }
    }
    (segments, i)
}

/// The leaves of a `use` tree: `a::b::{c, d::e as f, self}`.
fn use_tree(
    module: &ModPath,
    prefix: &[String],
    tokens: &[TokenTree],
    out: &mut Vec<(ModPath, Vec<String>)>,
) {
    // Split on top-level commas.
    for part in tokens.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
        let start = part
            .iter()
            .position(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
            .unwrap_or(part.len());
        let (segments, next) = path_at(part, start);
        let mut full = prefix.to_vec();
        full.extend(
            segments
                .into_iter()
                .filter(|s| s != "self" || prefix.is_empty()),
        );
        match part.get(next) {
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                use_tree(module, &full, &inner, out);
            }
            _ if !full.is_empty() => out.push((module.clone(), full)),
            _ => {}
        }
    }
}

/// One cycle through `from`, following edges inside `members`.
fn cycle_from(
    from: &PathBuf,
    edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    members: &BTreeSet<PathBuf>,
) -> Vec<PathBuf> {
    // Breadth-first from `from` back to `from`, remembering the way.
    let mut came_from: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from.clone()]);
    while let Some(at) = queue.pop_front() {
        for next in edges.get(&at).into_iter().flatten() {
            if !members.contains(next) {
                continue;
            }
            if next == from {
                let mut cycle = vec![at.clone()];
                let mut back = &at;
                while back != from {
                    back = &came_from[back];
                    cycle.push(back.clone());
                }
                cycle.reverse();
                return cycle;
            }
            if !came_from.contains_key(next) {
                came_from.insert(next.clone(), at.clone());
                queue.push_back(next.clone());
            }
        }
    }
    Vec::new()
}

/// Strongly connected components with more than one file (Tarjan).
fn tangles(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<BTreeSet<PathBuf>> {
    struct State<'a> {
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        on_stack: BTreeSet<&'a PathBuf>,
        found: Vec<BTreeSet<PathBuf>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a PathBuf) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.insert(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.found
}

/// The file-level import graph of the crate rooted at `lib`.
fn import_graph(lib: &Path) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let krate = Crate::load(lib);
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (file, module, tokens) in &krate.files {
        let mut found = Vec::new();
        paths(module, tokens.clone(), &mut found);
        let targets = edges.entry(file.clone()).or_default();
        for (written_in, path) in found {
            let Some(target) = krate.resolve(&written_in, &path) else {
                continue;
            };
            // A module owns the files of its submodules (`mod x;` is how it
            // is made of them): its uses of them are the tree, not an
            // import. Their uses of it, of siblings and of anything else
            // count.
            let descendant = krate
                .module_of(target)
                .is_some_and(|m| m.len() > module.len() && m.starts_with(module));
            if target != file && !descendant {
                targets.insert(target.clone());
            }
        }
    }
    edges
}

fn describe(cycles: &[Vec<PathBuf>], root: &Path) -> String {
    cycles
        .iter()
        .map(|cycle| {
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|f| f.strip_prefix(root).unwrap_or(f).display().to_string())
                .collect();
            format!("  {}", names.join(" → "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// For each tangle of files, the shortest cycle through each of its files
/// (without repeats), so that every loop to break is named.
fn cycles(lib: &Path) -> Vec<Vec<PathBuf>> {
    let edges = import_graph(lib);
    let mut found: Vec<Vec<PathBuf>> = Vec::new();
    for members in tangles(&edges) {
        let mut seen: BTreeSet<BTreeSet<PathBuf>> = BTreeSet::new();
        for member in &members {
            let cycle = cycle_from(member, &edges, &members);
            if seen.insert(cycle.iter().cloned().collect()) {
                found.push(cycle);
            }
        }
    }
    found
}

/// The library roots under `src/`: the app's `src/lib.rs` and each crate
/// that lives inside `src/` (a folder with a `Cargo.toml` and `src/lib.rs`).
fn crate_roots(src: &Path) -> Vec<PathBuf> {
    let mut roots = vec![src.join("lib.rs")];
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() || path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            let lib = path.join("src/lib.rs");
            if path.join("Cargo.toml").is_file() && lib.is_file() {
                roots.push(lib);
            }
            folders.push(path);
        }
    }
    roots.sort();
    roots
}

#[test]
fn no_import_cycle_between_files_of_src() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let roots = crate_roots(&root.join("src"));
    assert!(
        roots.len() > 1,
        "the crates inside src/ were not found: {roots:?}"
    );
    let found: Vec<Vec<PathBuf>> = roots.iter().flat_map(|lib| cycles(lib)).collect();
    assert!(
        found.is_empty(),
        "import cycles between files of src/ (each line: a file, the file it uses, …, back to the first):\n{}",
        describe(&found, root)
    );
}

/// The checker finds what it is meant to find, in small crates written out
/// in a temporary folder: a cycle through `super::` and a `use` group, none
/// through a comment, a string or an inline test module's `super::*`.
#[test]
fn the_checker_finds_a_cycle_and_only_a_cycle() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "mod a;\nmod b;\nmod c;\npub fn top() { let _ = \"crate::c::x\"; }\n",
    );
    // a → b (a `use` group), b → a (`super::` in code), c → b only.
    write("a.rs", "use crate::{b::{self, y}};\npub fn x() { y() }\n");
    write(
        "b.rs",
        "// crate::c::x in a comment is not a use\npub fn y() { super::a::x() }\n#[cfg(test)]\nmod tests { use super::*; }\n",
    );
    write("c.rs", "pub fn x() { crate::b::y() }\n");
    let found = cycles(&dir.path().join("lib.rs"));
    let text = describe(&found, dir.path());
    assert_eq!(found.len(), 1, "{text}");
    assert_eq!(text, "  a.rs → b.rs → a.rs");

    // A folder module: the parent using its child is the tree (not
    // counted), the child using its parent is fine; two siblings using each
    // other (one through a child module named in code) are a cycle.
    write("lib.rs", "mod d;\n");
    write("d/mod.rs", "mod e;\nmod h;\npub fn f() { e::g() }\n");
    write("d/e.rs", "pub fn g() { super::f(); super::h::k() }\n");
    write("d/h.rs", "use super::e;\npub fn k() { e::g() }\n");
    let found = cycles(&dir.path().join("lib.rs"));
    assert_eq!(describe(&found, dir.path()), "  d/e.rs → d/h.rs → d/e.rs");
    write("d/h.rs", "pub fn k() {}\n");
    assert!(cycles(&dir.path().join("lib.rs")).is_empty());

    // `#[path]` in a file that is not `mod.rs` is relative to its folder.
    write("lib.rs", "mod x;\n");
    write(
        "x.rs",
        "pub fn f() {}\n#[cfg(test)]\n#[path = \"x_tests.rs\"]\nmod tests;\n",
    );
    write("x_tests.rs", "use super::f;\n");
    assert!(cycles(&dir.path().join("lib.rs")).is_empty());
}
