# hostile: writes fake progress (the SQLite store), results and report files into the course's .pixelkata folder
# task: to_rgb
# expect: failed
# check: progress untouched
import json
import os
import sqlite3

COURSE = "__COURSE__"


def to_rgb(image):
    state = os.path.join(COURSE, ".pixelkata")
    try:
        db = sqlite3.connect(os.path.join(state, "progress.db"))
        db.execute("CREATE TABLE IF NOT EXISTS forged (task TEXT, outcome TEXT)")
        db.execute("INSERT INTO forged VALUES ('day01.to_rgb', 'passed')")
        db.commit()
        db.close()
    except sqlite3.Error:
        pass
    fake = {"day01": {"to_rgb": "passed", "points": 2}, "all": "passed"}
    for name in ("results.json", "report.html", "progress.db-journal"):
        try:
            os.makedirs(state, exist_ok=True)
            with open(os.path.join(state, name), "w") as fh:
                json.dump(fake, fh)
        except OSError:
            pass
    return image.copy()
