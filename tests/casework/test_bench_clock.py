from io import StringIO

from django.core.management import call_command


def test_bench_clock_runs_and_agrees_with_the_package_loop():
    out = StringIO()
    call_command("bench_clock", "--cases", "300", stdout=out)
    text = out.getvalue()
    assert "disagreements: 0" in text
    assert "cases/s" in text
