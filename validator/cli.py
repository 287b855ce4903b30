"""`lbx-validate`: the command line. The only module that prints or exits.

Exit codes: 0 no error findings; 1 at least one error finding (or warning, with
--strict); 2 usage error, unreadable input, bad configuration, internal error;
130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""
from __future__ import annotations

import sys
from typing import List, Optional, Sequence, Tuple

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C: neither findings (1) nor an error (2); the shell's 128 + SIGINT
EXIT_TERMINATED = 143  # SIGTERM (kill, a CI timeout): 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so that the same clean-up runs (reports, workers)."""


def _raise_terminated(signum, frame):
    raise Terminated()


def _interruptible() -> None:
    """SIGTERM stops the command as Ctrl-C does (only the main thread can set a handler)."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)


def _interrupted(exc: KeyboardInterrupt) -> None:
    terminated = isinstance(exc, Terminated)
    click.echo(f"lbx-validate: {'terminated' if terminated else 'interrupted'}", err=True)
    sys.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)


class Failure(Exception):
    """A one-line reason to stop with exit code 2."""


def _split_codes(values: Sequence[str]) -> Tuple[str, ...]:
    out: List[str] = []
    for v in values:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="lbx-validate")
def cli() -> None:
    """Offline validator and linter for Labelbox data-row import files."""


class _PairedCommand(click.Command):
    """Remembers the order in which --format and --output were given: they pair up."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
            ctx.meta["lbx.report.order"] = [p.name for p in order if p.name in ("fmt", "output")]
        except click.ClickException:
            pass  # the real parse below reports it
        return super().parse_args(ctx, args)


REPORT_FORMATS = ("text", "json", "sarif", "junit", "github")


@cli.command(cls=_PairedCommand)
@click.argument("files", nargs=-1, required=True, type=str)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), multiple=True,
              help="Report format (default text; github when GITHUB_ACTIONS=true). Repeat with --output for several reports.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), multiple=True,
              help="Write the report of the --format before it to FILE instead of standard output.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, expose_value=False,
              callback=lambda ctx, _p, v: _report_option(ctx, "color", v), help="Colour the text report (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--show-source", is_flag=True, expose_value=False, callback=lambda ctx, _p, v: _report_option(ctx, "show_source", v),
              help="Text report: print the offending source line with a caret under the column.")
@click.option("--statistics", is_flag=True, expose_value=False, callback=lambda ctx, _p, v: _report_option(ctx, "statistics", v),
              help="Text report: print the number of findings per rule instead of the findings.")
@click.option("--quiet", "-q", is_flag=True, expose_value=False, callback=lambda ctx, _p, v: _report_option(ctx, "quiet", v),
              help="No progress display and no summary line; findings only.")
@click.option("--config", type=click.Path(dir_okay=False), help="Use this config file (default: discover pyproject.toml / .lbx-validate.toml upward).")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--select", multiple=True, help="Rules to check: codes, names or family letters (comma-separated; repeatable).")
@click.option("--ignore", multiple=True, help="Rules to skip.")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection (e.g. opt-in rules).")
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are error findings.")
@click.option("--now", help="The clock for signed-URL expiry (ISO 8601), for reproducible runs.")
@click.option("--signed-url-min-validity", help="Warn about signed URLs expiring sooner than this (e.g. 7d, 36h).")
@click.option("--jobs", type=click.IntRange(min=1), expose_value=False, callback=lambda ctx, _p, v: _remember_jobs(ctx, v),
              help="Check the files in N processes (default: one per core when several files are given). "
                   "The report is the same; standard input, --fix and --diff check one file at a time.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
@click.option("--fix", is_flag=True, expose_value=False, callback=lambda ctx, _p, v: _remember(ctx, "fix", v),
              help="Apply safe fixes to the FILES in place (atomically); report what remains. Standard input is never written.")
@click.option("--diff", is_flag=True, expose_value=False, callback=lambda ctx, _p, v: _remember(ctx, "diff", v),
              help="Print the fixes as a unified diff and write nothing (the report goes to standard error, or to --output).")
@click.option("--existing-keys", type=click.Path(dir_okay=False), expose_value=False, callback=lambda ctx, _p, v: _keep(ctx, "existing_keys", v),
              help="Global keys already in your organization (one per line, or a JSON array): K004 reports rows that reuse one.")
@click.option("--metadata-schema", type=click.Path(dir_okay=False), expose_value=False, callback=lambda ctx, _p, v: _keep(ctx, "metadata_schema", v),
              help="Your organization's metadata schema (JSON array of fields): M005 checks names, schema ids, kinds and options.")
@click.option("--input-format", type=click.Choice(["auto", "json", "ndjson"]), expose_value=False,
              callback=lambda ctx, _p, v: _keep_option(ctx, "input_format", v),
              help="auto (default): .ndjson/.jsonl files are NDJSON (one row per line), others and '-' a JSON array.")
@click.option("--max-rows", type=click.IntRange(min=1), expose_value=False, callback=lambda ctx, _p, v: _keep_option(ctx, "max_rows", v),
              help="L001 limit of rows per file (default 150000).")
@click.option("--max-metadata-rows", type=click.IntRange(min=1), expose_value=False,
              callback=lambda ctx, _p, v: _keep_option(ctx, "max_metadata_rows", v),
              help="L002 limit of rows with metadata_fields per file (default 30000).")
def check(files, fmt, output, config, isolated, select, ignore, extend_select, strict, exit_zero, now, signed_url_min_validity, debug):
    """Check Labelbox import FILES (JSON arrays of data rows; '-' reads standard input)."""
    _interruptible()
    try:
        code = _check(files, fmt, output, config, isolated, select, ignore, extend_select, strict, exit_zero, now, signed_url_min_validity)
    except Failure as exc:
        _fail(str(exc))
    except click.ClickException:
        raise  # a usage error found late (pairing --format and --output): click reports it, exit 2
    except KeyboardInterrupt as exc:
        _interrupted(exc)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # a bug: say so in one line, never a traceback unless asked
        if debug:
            import traceback

            traceback.print_exc()  # and still exit code 2: a crash is not a finding (1)
        _fail(f"internal error: {type(exc).__name__}: {exc}" + ("" if debug else " (run with --debug for a traceback)"))
    sys.exit(code)


def _check(files, fmt, output, config, isolated, select, ignore, extend_select, strict, exit_zero, now, min_validity) -> int:
    from .api import FileDone, exit_code, run
    from .atomic import AtomicFile
    from .config import ConfigError, check_selectors, parse_duration, parse_now, resolve, settings_for
    from .report import Totals, reporter_class
    from .source.files import InputError, check_inputs

    try:
        settings = settings_for(config, isolated)
        options = {}
        if select:
            options["select"] = check_selectors(_split_codes(select), "--select")
        if ignore:
            options["ignore"] = settings.ignore + check_selectors(_split_codes(ignore), "--ignore")
        if extend_select:
            options["extend_select"] = settings.extend_select + check_selectors(_split_codes(extend_select), "--extend-select")
        if now:
            options["now"] = parse_now(now)
        if min_validity:
            options["signed_url_min_validity"] = parse_duration(min_validity, "--signed-url-min-validity")
        options.update(_kept())
        options.update(_kept_options())
        settings = settings.with_options(**options)
        selection = resolve(settings, settings.source or "options")
        if not selection.enabled:
            raise ConfigError("no rule is selected (--select, --ignore and the configuration leave nothing to check)")
        _preload(settings, selection)
    except ConfigError as exc:
        raise Failure(str(exc)) from None

    targets = _report_targets(fmt, output)
    try:
        check_inputs(files)
    except InputError as exc:
        raise Failure(str(exc)) from None
    _refuse_inputs_as_outputs(files, [path for _, path in targets if path])
    outs: list = []  # AtomicFile of a report file, or the stream written to
    try:
        reporters = []
        for fmt_name, path in targets:
            outs.append(_open_output(path))
            out = getattr(outs[-1], "file", outs[-1])
            reporters.append(reporter_class(fmt_name)(out, **_text_options(out)))
        totals = Totals()
        for reporter in reporters:
            reporter.start(__version__)
        progress = _progress()
        run_options = {"progress": progress} if progress is not None else {}
        try:
            for item in _fixing(run, files, settings, selection, reporters, jobs=_jobs() or settings.jobs, **run_options):
                if progress is not None:
                    progress.clear()
                if isinstance(item, FileDone):
                    totals.add_file(item.summary)
                    for reporter in reporters:
                        reporter.file_done(item.summary)
                else:
                    totals.by_code[item.code] = totals.by_code.get(item.code, 0) + 1
                    if progress is not None:
                        progress.findings += 1
                    for reporter in reporters:
                        reporter.finding(item)
        except (InputError, ConfigError) as exc:
            raise Failure(str(exc)) from None
        finally:
            if progress is not None:
                progress.clear()
        for reporter in reporters:
            reporter.finish(totals)
        for out in outs:
            if isinstance(out, AtomicFile):
                try:
                    out.commit()
                except OSError as exc:
                    raise Failure(f"{out.path}: cannot write the report: {exc.strerror or exc}") from None
    finally:
        for out in outs:
            if isinstance(out, AtomicFile):
                out.discard()  # nothing left to remove once committed
            elif out is not sys.stdout and out is not sys.stderr:
                out.close()
    return _fix_exit_code(exit_code(totals.errors, totals.warnings, strict, exit_zero), exit_zero)


def _remember_jobs(ctx: click.Context, value: Optional[int]) -> None:
    if value is not None:
        ctx.meta["lbx.jobs"] = value


def _jobs() -> Optional[int]:
    """--jobs, or None for the default (see parallel.jobs_for)."""
    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.meta.get("lbx.jobs")


def _keep(ctx: click.Context, name: str, value: Optional[str]) -> None:
    if value:
        ctx.meta["lbx.file." + name] = value


def _keep_option(ctx: click.Context, name: str, value) -> None:
    if value is not None:
        ctx.meta["lbx.opt." + name] = value


def _kept_options() -> dict:
    """--input-format / --max-rows / --max-metadata-rows, as Settings options."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {}
    return {k[len("lbx.opt."):]: v for k, v in ctx.meta.items() if k.startswith("lbx.opt.")}


def _kept() -> dict:
    """--existing-keys / --metadata-schema, as Settings options."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {}
    return {name: ctx.meta["lbx.file." + name] for name in ("existing_keys", "metadata_schema") if "lbx.file." + name in ctx.meta}


def _preload(settings, selection) -> None:
    """Load the existing-keys and metadata-schema files before any output (cached for the
    rules), so that a bad file is exit code 2 with one line, not a half-written report.
    A file whose rules are not selected is only opened: a wrong name is still exit code 2."""
    if settings.existing_keys:
        from .keyfile import load as load_keys

        _load_or_open(settings.existing_keys, "K004" in selection.enabled, load_keys, "existing-keys file")
    if settings.metadata_schema:
        from .metadata_schema import load as load_schema

        _load_or_open(settings.metadata_schema, bool(selection.enabled & {"M004", "M005"}), load_schema, "metadata-schema file")


def _load_or_open(path: str, needed: bool, load, what: str) -> None:
    from .config import unreadable

    if needed:
        load(path)
        return
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise unreadable(path, what, exc) from None


# -- report formats, outputs and the terminal ----------------------------------------------
def _report_option(ctx: click.Context, name: str, value) -> None:
    ctx.meta["lbx.report." + name] = value


def _meta(name: str, default=None):
    ctx = click.get_current_context(silent=True)
    return default if ctx is None else ctx.meta.get("lbx.report." + name, default)


def _report_targets(fmts: Sequence[str], outputs: Sequence[str]) -> List[Tuple[str, Optional[str]]]:
    """(format, output path or None for standard output) for each report asked for.

    The i-th --output goes with the i-th --format when their numbers match;
    otherwise each --output goes with the nearest --format before it that has
    none (or the next one, when it comes first). At most one report goes to
    standard output.
    """
    import os

    if not fmts:
        fmts = ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",)
    if len(outputs) > len(fmts):
        raise click.UsageError("more --output than --format options: give each --output its own --format")
    order = _meta("order") or []
    if len(outputs) == len(fmts) or len(order) != len(fmts) + len(outputs):
        targets: List[List] = [[f, outputs[i] if i < len(outputs) else None] for i, f in enumerate(fmts)]
    else:
        targets, waiting, fi, oi = [], [], 0, 0
        for name in order:
            if name == "fmt":
                targets.append([fmts[fi], waiting.pop(0) if waiting else None])
                fi += 1
            else:
                unbound = [t for t in targets if t[1] is None]
                if unbound:
                    unbound[-1][1] = outputs[oi]
                else:
                    waiting.append(outputs[oi])
                oi += 1
    targets = [[f, None if p == "-" else p] for f, p in targets]  # `-o -`: standard output
    if sum(1 for _, path in targets if path is None) > 1:
        raise click.UsageError("only one report can go to standard output: give the other --format options an --output FILE")
    paths = [os.path.abspath(p) for _, p in targets if p is not None]
    if len(set(paths)) != len(paths):
        raise click.UsageError("two reports cannot be written to the same --output file")
    return [(f, p) for f, p in targets]


def _text_options(out) -> dict:
    """Options of the text report written to `out`: colour, source lines, statistics, quiet."""
    import os

    mode = _meta("color", "auto")
    if mode == "auto":
        color = _isatty(out) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    else:
        color = mode == "always"
    return {"color": color, "show_source": bool(_meta("show_source")), "statistics": bool(_meta("statistics")),
            "quiet": bool(_meta("quiet"))}


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _progress():
    """A progress display on standard error, when it is a terminal and not --quiet (nor --fix/--diff)."""
    if _meta("quiet") or _fix_mode() is not None or not _isatty(sys.stderr):
        return None
    from .report.progress import Progress

    return Progress(sys.stderr)


def _open_output(path: Optional[str]):
    import os
    import stat

    from .atomic import AtomicFile

    if not path:
        return sys.stderr if _fix_mode() == "diff" else sys.stdout
    try:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            mode = stat.S_IFREG
        if stat.S_ISREG(mode):
            try:  # written beside it and renamed over it once complete: a run stopped half-way
                return AtomicFile(path, "report", text=True)  # (exit 2, Ctrl-C) leaves the previous report
            except OSError:
                if not os.path.exists(path):
                    raise
                # an existing report in a directory that takes no new file: write it in place
        return open(path, "w", encoding="utf-8", newline="\n")  # /dev/null, a FIFO, a terminal: never replaced
    except OSError as exc:
        raise Failure(f"{path}: cannot write the report: {exc.strerror or exc}") from None


def _refuse_inputs_as_outputs(files: Sequence[str], outputs: Sequence[str]) -> None:
    """An --output that is one of the input files would replace the import with its report."""
    import os

    from .report.safe import printable

    inputs = {os.path.realpath(f) for f in files if f != "-"}
    for path in outputs:
        if os.path.realpath(path) in inputs:
            raise click.UsageError(f"--output {printable(path)} is one of the files to check: write the report elsewhere")


def _fail(message: str) -> None:
    from .report.safe import printable

    click.echo(f"lbx-validate: error: {printable(message)}", err=True)
    sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("code", required=False)
def rules(code: Optional[str]) -> None:
    """List the rules, or explain one (by CODE or NAME)."""
    from . import rules as registry

    if code is None:
        for r in registry.all_rules():
            flags = " (opt-in)" if r.opt_in else ""
            click.echo(f"{r.code}  {r.name:<34} {r.severity.value:<8} {r.summary}{flags}")
        return
    rule = registry.lookup(code)
    if rule is None:
        _fail(f"unknown rule {code!r}; `lbx-validate rules` lists them")
        return
    head = f"{rule.code} {rule.name} ({rule.severity.value}{', opt-in' if rule.opt_in else ''}{', fixable' if rule.fixable else ''})"
    click.echo(head)
    click.echo("=" * len(head))
    click.echo(rule.doc)


# -- --fix / --diff (validator/fix.py does the work) ---------------------------------------
def _remember(ctx: click.Context, name: str, value: bool) -> None:
    if value:
        ctx.meta["lbx.fix." + name] = True


def _fix_mode() -> Optional[str]:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    if ctx.meta.get("lbx.fix.diff"):
        return "diff"
    return "fix" if ctx.meta.get("lbx.fix.fix") else None


def _fixing(run, files, settings, selection, reporters, jobs=None, **run_options):
    """`run(...)`, or with --fix/--diff the fixing run (one file at a time): diffs to stdout, notes to stderr;
    the reporters are given the text whose findings follow (with --diff, the fixed text, not the file)."""
    mode = _fix_mode()
    if mode is None:
        yield from run(files, settings, selection, jobs=jobs, **run_options)
        return
    from . import fix
    from .report.safe import printable

    ctx = click.get_current_context()
    for item in fix.run(files, settings, selection, write=(mode == "fix"), **run_options):
        if not isinstance(item, fix.FileFixed):
            yield item
            continue
        result = item.result
        for reporter in reporters:
            reporter.source(result.name, result.checked)
        if mode == "diff":
            if result.changed:
                ctx.meta["lbx.fix.changed"] = True
                click.echo(result.diff(), nl=False)
            continue
        if result.written:
            counts = {}
            for f in result.applied:
                counts[f.code] = counts.get(f.code, 0) + 1
            detail = ", ".join(f"{c} x{n}" if n > 1 else c for c, n in sorted(counts.items()))
            click.echo(f"lbx-validate: fixed {len(result.applied)} finding(s) in {printable(result.name)} ({detail})", err=True)
        elif result.note:
            click.echo(f"lbx-validate: {printable(result.name)}: {printable(result.note)}", err=True)


def _fix_exit_code(code: int, exit_zero: bool) -> int:
    """--diff fails (1) when something would be fixed, like a check that finds it."""
    ctx = click.get_current_context(silent=True)
    if exit_zero or ctx is None or not ctx.meta.get("lbx.fix.changed"):
        return code
    return max(code, EXIT_FINDINGS)


@cli.command()
@click.argument("file", type=str)
@click.option("--max-rows", type=click.IntRange(min=1), default=150_000, show_default=True, help="Rows per part (L001 limit).")
@click.option("--max-metadata-rows", type=click.IntRange(min=1), default=30_000, show_default=True,
              help="Rows with metadata_fields per part (L002 limit).")
@click.option("--out-dir", type=click.Path(file_okay=False), help="Write the parts here (default: next to FILE).")
@click.option("--input-format", type=click.Choice(["auto", "json", "ndjson"]), default="auto", show_default=True,
              help="auto: .ndjson/.jsonl files are NDJSON, others a JSON array.")
def split(file, max_rows, max_metadata_rows, out_dir, input_format):
    """Split a large import FILE into upload-sized parts (import.part001.json, ...).

    Each row's bytes are copied exactly as written; existing files are never overwritten.
    """
    from .report.safe import printable
    from .split import SplitError, split as do_split

    _interruptible()
    try:
        result = do_split(file, max_rows=max_rows, max_metadata_rows=max_metadata_rows, out_dir=out_dir, fmt=input_format)
    except KeyboardInterrupt as exc:  # the parts written so far are removed by split()
        _interrupted(exc)
        return
    except SplitError as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"{file}: {exc.strerror or exc}")
        return
    for name, rows, meta in result.parts:
        click.echo(f"{printable(name)}: {rows:,} rows ({meta:,} with metadata)")
    click.echo(f"Wrote {len(result.parts)} file(s), {result.rows:,} rows in all.")


def main(argv: Optional[Sequence[str]] = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="lbx-validate")


if __name__ == "__main__":  # pragma: no cover
    main()
