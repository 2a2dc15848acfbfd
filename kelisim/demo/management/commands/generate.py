from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.demo import generate as synthetic
from kelisim.territories.models import Territory


class Command(BaseCommand):
    help = (
        "Generate synthetic data over every region, district and okrug for benchmarks: events, appeals "
        "with their histories and Tolerance Index responses (national: 50,000 / 1,000,000 / 1,000,000; "
        "region: a tenth; small: a thousandth). Refuses a second run unless --append is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(synthetic.SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
        parser.add_argument("--append", action="store_true", help="add another batch to generated data")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="the last day of the five years generated (YYYY-MM-DD; default: today)",
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: object, **options: object) -> None:
        verbosity = int(options["verbosity"])  # type: ignore[call-overload]
        if not Territory.objects.exists():
            self.stdout.write(
                _("The KATO classifier is not loaded: loading it first (kelisim load_territories).")
            )
            call_command("load_territories", verbosity=0, stdout=self.stdout)
        scale = synthetic.SCALES[str(options["scale"])]
        self.stdout.write(
            _(
                "Generating the %(scale)s scale: %(events)d events, %(appeals)d appeals, %(responses)d responses."
            )
            % {
                "scale": scale.name,
                "events": scale.events,
                "appeals": scale.appeals,
                "responses": scale.responses,
            }
        )
        try:
            result = synthetic.generate(
                scale=scale,
                seed=int(options["seed"]),  # type: ignore[call-overload]
                append=bool(options["append"]),
                today=options["today"],  # type: ignore[arg-type]
                batch_size=int(options["batch_size"]),  # type: ignore[call-overload]
                report=(lambda line: self.stdout.write("  " + line)) if verbosity > 1 else None,
            )
        except synthetic.AlreadyGenerated as error:
            raise CommandError(_("Refused: %(reason)s") % {"reason": error}) from error
        except synthetic.NoClassifier as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{'table':<28} {'rows':>10} {'seconds':>9} {'rows/s':>10}")
        for tally in sorted(result.tables.values(), key=lambda t: -t.rows):
            self.stdout.write(
                f"{tally.table:<28} {tally.rows:>10,} {tally.seconds:>9.2f} {tally.rate:>10,.0f}"
            )
        self.stdout.write(
            _("Synthetic data (seed %(seed)d, up to %(today)s) written in %(seconds).1f s.")
            % {"seed": result.seed, "today": result.today.isoformat(), "seconds": result.seconds}
        )
        self.stdout.write(
            _("The search index skips bulk inserts: run `kelisim rebuild_search` to search them.")
        )
