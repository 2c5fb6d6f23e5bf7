"""`briefing normalize`: one phrase, or many lines on standard input in one process."""
import subprocess
import sys

from typer.testing import CliRunner

from briefing.cli import app

runner = CliRunner()


def test_normalize_prints_the_text_as_the_voice_gets_it():
    result = runner.invoke(app, ["normalize", "Ms Deans ran the 400m in 52.1secs on 5 May."])
    assert result.exit_code == 0
    assert result.stdout == "Miz Deans ran the four hundred metres in fifty-two point one seconds on the fifth of May.\n"


def test_normalize_dash_prints_one_line_per_input_line():
    lines = "Charles III\n\nA 2-0 lead\r\n60p"
    result = runner.invoke(app, ["normalize", "-"], input=lines)
    assert result.exit_code == 0
    assert result.stdout.split("\n") == ["Charles the Third", "", "A two-nil lead", "sixty pence", ""]


def test_normalize_keep_leaves_words_for_the_lexicon():
    result = runner.invoke(app, ["normalize", "--keep", "FTSE", "--keep", "IAAF", "The FTSE and the IAAF and the FBI"])
    assert result.stdout == "The FTSE and the IAAF and the F.B.I\n"


def test_normalize_does_not_load_heavy_modules():
    code = ("import sys\nfrom briefing.cli import app\n"
            "try:\n    app(['normalize', '10km'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('nltk', 'numpy', 'pydub', 'trafilatura', 'onnxruntime') if m in sys.modules]\n"
            "print('heavy:', heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["ten kilometres", "heavy: []"]
