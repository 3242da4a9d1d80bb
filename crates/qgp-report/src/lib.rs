//! Typesets QGP Desktop's PDF reports with typst, entirely in memory: a template (typst markup kept in
//! `templates/`), the data as one JSON file the template reads, images by name, and the fonts shipped in
//! `fonts/` (Noto Sans; for scripts it lacks DejaVu Sans, Noto's South Asian, Thai and Ethiopic faces, then Droid
//! Sans Fallback for Chinese, Japanese and Korean). No file system, no packages, no network:
//! the same inputs give the same PDF bytes.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The shared layout every report imports as `layout.typ`: cover, header, footer, tables, appendix.
pub const LAYOUT: &str = include_str!("../templates/layout.typ");

/// The report templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("audit", include_str!("../templates/audit.typ")),
    ("incidents", include_str!("../templates/incidents.typ")),
    ("risks", include_str!("../templates/risks.typ")),
    ("actions", include_str!("../templates/actions.typ")),
    ("compliance", include_str!("../templates/compliance.typ")),
    ("soa", include_str!("../templates/soa.typ")),
    ("complaints", include_str!("../templates/complaints.typ")),
    ("collisions", include_str!("../templates/collisions.typ")),
];

const FONT_FILES: &[&[u8]] = &[
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../fonts/NotoSans-BoldItalic.ttf"),
    include_bytes!("../fonts/DejaVuSans.ttf"),
    include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../fonts/NotoSansDevanagari-Bold.ttf"),
    include_bytes!("../fonts/NotoSansBengali-Regular.ttf"),
    include_bytes!("../fonts/NotoSansBengali-Bold.ttf"),
    include_bytes!("../fonts/NotoSansGurmukhi-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGurmukhi-Bold.ttf"),
    include_bytes!("../fonts/NotoSansGujarati-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGujarati-Bold.ttf"),
    include_bytes!("../fonts/NotoSansTamil-Regular.ttf"),
    include_bytes!("../fonts/NotoSansTamil-Bold.ttf"),
    include_bytes!("../fonts/NotoSansTelugu-Regular.ttf"),
    include_bytes!("../fonts/NotoSansTelugu-Bold.ttf"),
    include_bytes!("../fonts/NotoSansKannada-Regular.ttf"),
    include_bytes!("../fonts/NotoSansKannada-Bold.ttf"),
    include_bytes!("../fonts/NotoSansMalayalam-Regular.ttf"),
    include_bytes!("../fonts/NotoSansMalayalam-Bold.ttf"),
    include_bytes!("../fonts/NotoSansSinhala-Regular.ttf"),
    include_bytes!("../fonts/NotoSansSinhala-Bold.ttf"),
    include_bytes!("../fonts/NotoSansThai-Regular.ttf"),
    include_bytes!("../fonts/NotoSansThai-Bold.ttf"),
    include_bytes!("../fonts/NotoSansEthiopic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansEthiopic-Bold.ttf"),
    include_bytes!("../fonts/DroidSansFallback.ttf"),
];

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// Why a report could not be typeset.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("there is no report template '{0}'")]
    UnknownTemplate(String),
    #[error("the report could not be typeset: {0}")]
    Typeset(String),
}

/// Everything one report needs.
pub struct ReportInput {
    /// A name from [`TEMPLATES`].
    pub template: String,
    /// The data the template reads as `data.json`.
    pub data: Vec<u8>,
    /// Images the template reads as `img/<name>`.
    pub images: BTreeMap<String, Vec<u8>>,
    /// Creation time written into the PDF (UTC): year, month, day, hour, minute, second.
    pub created: (i32, u8, u8, u8, u8, u8),
    /// A stable identifier of the document (the PDF's /ID derives from it).
    pub ident: String,
}

struct ReportWorld {
    main: FileId,
    files: std::collections::HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> FileId {
    // Paths here are fixed, well-formed literals or sanitised image names.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").expect("literal path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_owned()))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or_else(|| FileError::NotFound(std::path::PathBuf::from(format!("{id:?}"))))
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn describe(diags: &[SourceDiagnostic]) -> String {
    diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

/// A typeset report.
pub struct Rendered {
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
    /// Characters no shipped font has, in order, each once; they print as empty boxes.
    pub missing_glyphs: Vec<char>,
}

/// Typesets one report to PDF bytes.
pub fn render(input: ReportInput) -> Result<Rendered, ReportError> {
    let template =
        TEMPLATES.iter().find(|(n, _)| *n == input.template).ok_or_else(|| ReportError::UnknownTemplate(input.template.clone()))?.1;
    let main = file_id("/main.typ");
    let mut files = std::collections::HashMap::new();
    files.insert(main, Bytes::from_string(template.to_owned()));
    files.insert(file_id("/layout.typ"), Bytes::from_string(LAYOUT.to_owned()));
    files.insert(file_id("/data.json"), Bytes::new(input.data));
    for (name, bytes) in input.images {
        files.insert(file_id(&format!("/img/{name}")), Bytes::new(bytes));
    }
    let (y, mo, d, h, mi, s) = input.created;
    let today = Datetime::from_ymd(y, mo, d);
    let world = ReportWorld { main, files, today };
    let document: PagedDocument = typst::compile(&world).output.map_err(|e| ReportError::Typeset(describe(&e)))?;
    let stamp = Datetime::from_ymd_hms(y, mo, d, h, mi, s).ok_or_else(|| ReportError::Typeset("invalid creation time".into()))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(input.ident),
        timestamp: Some(typst_pdf::Timestamp::new_utc(stamp)),
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|e| ReportError::Typeset(describe(&e)))?;
    let mut missing = std::collections::BTreeSet::new();
    for page in document.pages() {
        collect_missing_glyphs(&page.frame, &mut missing);
    }
    Ok(Rendered { pdf, missing_glyphs: missing.into_iter().collect() })
}

/// Glyph 0 is a font's "no such character" box: typst falls back to it when no font in the list has the character.
fn collect_missing_glyphs(frame: &typst::layout::Frame, missing: &mut std::collections::BTreeSet<char>) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(group) => collect_missing_glyphs(&group.frame, missing),
            typst::layout::FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    missing.extend(text.text.get(glyph.range()).into_iter().flat_map(str::chars).filter(|c| !c.is_whitespace()));
                }
            }
            _ => {}
        }
    }
}
