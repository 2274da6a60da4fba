"""`inferx profiles`: list, show, validate and import profiles, and print the look-up path."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from inferx.cli._errors import reporting_errors
from inferx.cli._options import FormatOpt
from inferx.cli._state import STATE
from inferx.render import Format

profiles_app = typer.Typer(
    name="profiles", no_args_is_help=True,
    help="List, show, validate and import hardware, model and price profiles.")

KindArg = Annotated[Optional[str], typer.Argument(  # noqa: UP045 (typer needs Optional)
    help="hardware, models, prices or apis (default: all).", show_default=False)]
KindOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--kind", "-k", help="Only this kind: hardware, models, prices or apis.")]
OutOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--out", "-o", file_okay=False,
    help="Profiles directory to write into (default: the user dir; see `inferx profiles path`).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite existing profile files.")]


def _kinds(name: str | None, flag: str) -> list[str]:
    from inferx.errors import InputError
    from inferx.profiles import KIND_DIRS, KINDS

    if name is None:
        return list(KINDS)
    # A kind's name or its folder name: model or models, price or prices, ...
    names = {**{k: k for k in KINDS}, **{d: k for k, d in KIND_DIRS.items()}}
    kind = names.get(name.strip().lower())
    if kind is None:
        raise InputError(flag, f"unknown kind {name!r}; expected one of "
                         f"{', '.join(KIND_DIRS[k] for k in KINDS)}")
    return [kind]


def _emit(sub: str, data: dict[str, Any], fmt: Format, warnings: list[Any] | None = None) -> None:
    from inferx.render import render
    from inferx.results import Envelope

    render(Envelope.ok(["profiles", sub], {"subcommand": sub, **data}, warnings), fmt)


def _row(entry: Any) -> dict[str, Any]:
    p = entry.profile
    row = {"kind": p.kind, "id": p.id, "name": p.name, "aliases": list(p.aliases),
           "source": p.source, "as_of": p.as_of.isoformat(), "origin": entry.origin,
           "path": str(entry.path)}
    if p.kind == "price":
        row["price"] = {"hardware": p.hardware, "provider": p.provider, "region": p.region,
                        "instance": p.instance, "gpus_per_instance": p.gpus_per_instance,
                        "usd_per_gpu_hour": p.published()}
    return row


def list_profiles(kind: KindArg = None, fmt: FormatOpt = Format.table) -> None:
    """List profiles on the search path (later directories override an id).

    Example: inferx profiles list hardware --format json | jq '.data.rows[].id'
    """
    with reporting_errors(["profiles", "list"], fmt):
        registry = STATE.registry()
        rows = [_row(e) for k in _kinds(kind, "KIND") for e in registry.entries(k)]
        _emit("list", {"rows": rows}, fmt)


def show(
    profile_id: Annotated[str, typer.Argument(metavar="ID", help="Profile id or alias.")],
    kind: KindOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show one profile, every field, with its file and origin.

    Example: inferx profiles show h100 --format json
    """
    with reporting_errors(["profiles", "show"], fmt):
        from inferx.errors import InputError, UnknownProfileError

        registry = STATE.registry()
        kinds = _kinds(kind, "--kind")
        found, suggestions = [], []
        for k in kinds:
            try:
                found.append(registry.entry(k, profile_id))
            except UnknownProfileError as exc:
                suggestions.extend(exc.fields["suggestions"])
        if not found:
            error = UnknownProfileError(kinds[0], profile_id, list(dict.fromkeys(suggestions))[:5])
            if len(kinds) > 1:  # searched every kind: say so, and point at the plain list
                error.message = error.message.replace(f"unknown {kinds[0]} profile", "no profile")
                error.message = error.message.replace(f"list {kinds[0]}`", "list`")
                error.fields["kind"] = None
            raise error
        if len(found) > 1:
            which = ", ".join(f"{e.profile.kind} {e.profile.id}" for e in found)
            raise InputError("--kind", f"{profile_id!r} names several profiles ({which}); "
                             "pass --kind")
        entry = found[0]
        _emit("show", {"kind": entry.profile.kind, "id": entry.profile.id,
                       "origin": entry.origin, "path": str(entry.path),
                       "profile": entry.profile.to_json()}, fmt)


def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045
        metavar="[PATH]...", help="Profile files or directories (default: the search path).",
        show_default=False)] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Check profiles: every problem is listed with its file and field; exit code 4 if any.

    Example: inferx profiles validate ~/.config/inferx/profiles
    """
    with reporting_errors(["profiles", "validate"], fmt):
        from inferx.registry import ProfileProblems, search_path, validate_all

        if paths:
            checked, problems = validate_all(paths=paths)
        else:
            checked, problems = validate_all(dirs=search_path(STATE.profiles_dir))
        if problems:
            raise ProfileProblems(problems, checked)
        _emit("validate", {"checked_files": checked, "problems": [], "valid": True}, fmt)


def path(fmt: FormatOpt = Format.table) -> None:
    """Print where profiles are looked up, in order; a later directory overrides an id.

    Example: inferx profiles path
    """
    with reporting_errors(["profiles", "path"], fmt):
        from inferx.files import is_dir
        from inferx.registry import search_path

        rows = [{"order": i, "origin": label, "path": str(d), "exists": is_dir(d)}
                for i, (label, d) in enumerate(search_path(STATE.profiles_dir), start=1)]
        _emit("path", {"rows": rows}, fmt)


def _out_dir(out: Path | None) -> Path:
    from inferx.registry import user_dir

    return out if out is not None else user_dir()


def import_hf(
    source: Annotated[str, typer.Argument(
        metavar="PATH_OR_REPO", help="config.json, a directory holding one, or a Hub repo id.")],
    profile_id: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--id", help="Profile id (default: from the repo or directory name).")] = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Turn a Hugging Face config.json into a model profile (TOML).

    Example: inferx profiles import-hf ./Llama-3.1-8B/config.json --id my-llama-8b
    """
    with reporting_errors(["profiles", "import-hf"], fmt):
        from inferx.engine.architecture import param_counts
        from inferx.importers import write_profiles
        from inferx.importers.hf import import_config

        profile = import_config(source, profile_id=profile_id)
        [written] = write_profiles([profile], _out_dir(out), force=force)
        counts = param_counts(profile)
        _emit("import-hf", {"rows": [{"kind": "model", "id": profile.id, "path": str(written),
                                      "params_b": counts.total / 1e9,
                                      "active_params_b": counts.active / 1e9}],
                            "skipped": []}, fmt)


def import_prices(
    source: Annotated[str, typer.Argument(
        metavar="PATH_OR_URL", help="LiteLLM model_prices_and_context_window.json (file or URL).")],
    provider: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--provider", help="Only entries whose litellm_provider is this (repeatable).")] = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Turn LiteLLM's price database into API price profiles (one TOML file per model).

    Example: inferx profiles import-prices model_prices_and_context_window.json --provider openai
    """
    with reporting_errors(["profiles", "import-prices"], fmt):
        from inferx.importers import write_profiles
        from inferx.importers.litellm import import_prices as run

        result = run(source, providers=provider)
        if not result.profiles:
            from inferx.errors import InvalidFileError

            field, why = "(entries)", "none"
            if result.skipped:
                key, reason = result.skipped[0]
                field, _, why = reason.partition(": ") if ": " in reason else ("(entries)", "",
                                                                                 reason)
                why = f"{key!r}: {why}"
            raise InvalidFileError(result.where, field, "no token-priced entries to import"
                                   + (f" for provider {', '.join(provider)}" if provider else "")
                                   + f" (first skipped: {why})")
        written = write_profiles(result.profiles, _out_dir(out), force=force)
        rows = [{"kind": "api", "id": p.id, "path": str(w)}
                for p, w in zip(result.profiles, written, strict=True)]
        skipped = [{"entry": k, "reason": r} for k, r in result.skipped]
        _emit("import-prices", {"rows": rows, "skipped": skipped}, fmt)


def register(app: typer.Typer) -> None:
    profiles_app.command("list")(list_profiles)
    profiles_app.command("show")(show)
    profiles_app.command("validate")(validate)
    profiles_app.command("path")(path)
    profiles_app.command("import-hf")(import_hf)
    profiles_app.command("import-prices")(import_prices)
    app.add_typer(profiles_app, name="profiles")
