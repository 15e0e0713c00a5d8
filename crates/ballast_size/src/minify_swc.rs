//! The swc minifier, for webpack / Rspack / Next.js targets, which ship swc's output. Each call has its own
//! `SourceMap` and `GLOBALS`, so rayon threads never share swc state.

use swc_core::common::comments::SingleThreadedComments;
use swc_core::common::sync::Lrc;
use swc_core::common::{FileName, GLOBALS, Globals, Mark, SourceMap};
use swc_core::ecma::ast::{EsVersion, Program};
use swc_core::ecma::codegen::text_writer::JsWriter;
use swc_core::ecma::codegen::{Config, Emitter};
use swc_core::ecma::minifier::optimize;
use swc_core::ecma::minifier::option::{CompressOptions, ExtraOptions, MangleOptions, MinifyOptions};
use swc_core::ecma::parser::{EsSyntax, Parser, StringInput, Syntax};
use swc_core::ecma::transforms::base::fixer::fixer;
use swc_core::ecma::transforms::base::resolver;

/// Minifies plain JavaScript (types and JSX already lowered) as a module.
pub fn minify(js: &str) -> Result<String, String> {
    GLOBALS.set(&Globals::new(), || {
        let cm: Lrc<SourceMap> = Default::default();
        let fm = cm.new_source_file(Lrc::new(FileName::Anon), js.to_string());
        let comments = SingleThreadedComments::default();
        let mut parser =
            Parser::new(Syntax::Es(EsSyntax::default()), StringInput::from(&*fm), Some(&comments));
        let program = parser.parse_program().map_err(|e| format!("swc cannot parse: {:?}", e.kind()))?;
        let unresolved_mark = Mark::new();
        let top_level_mark = Mark::new();
        let program = program.apply(resolver(unresolved_mark, top_level_mark, false));
        let options = MinifyOptions {
            compress: Some(CompressOptions { module: true, ..CompressOptions::default() }),
            mangle: Some(MangleOptions { top_level: Some(true), ..MangleOptions::default() }),
            ..MinifyOptions::default()
        };
        let extra = ExtraOptions { unresolved_mark, top_level_mark, mangle_name_cache: None };
        let program: Program = optimize(program, cm.clone(), None, None, &options, &extra);
        let program = program.apply(fixer(None));
        let mut buf = Vec::new();
        {
            let writer = JsWriter::new(cm.clone(), "\n", &mut buf, None);
            let mut emitter = Emitter {
                cfg: Config::default().with_minify(true).with_target(EsVersion::latest()),
                cm: cm.clone(),
                comments: None,
                wr: Box::new(swc_core::ecma::codegen::text_writer::omit_trailing_semi(writer)),
            };
            emitter.emit_program(&program).map_err(|e| e.to_string())?;
        }
        String::from_utf8(buf).map_err(|e| e.to_string())
    })
}
