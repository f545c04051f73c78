"""Browsing by logged-in users, for `make loadtest` (tests/bench/loadtest.sh runs it headless against gunicorn).

The users are logged in before the test starts: `loadtest_setup.py` opens their sessions and
lists the rows they may open, in the JSON file named by LOADTEST_DATA. Logging 50 users in
during the test would spend its first seconds hashing passwords (PBKDF2, on purpose slow)
rather than serving pages. Four in five users are Ministry staff, who see everything; the
others are a provincial department's staff, who see their province's part. Static files are
not requested: in production the web server in front serves them.
"""

import json
import os
import random

from locust import FastHttpUser, between, task

with open(os.environ["LOADTEST_DATA"]) as data_file:
    DATA = json.load(data_file)

SEARCHES = ("thai binh", "lua chat luong cao", "nam", "xu ly chat thai", "ca phe", "mo hinh")
STATUSES = ("in_progress", "completed", "accepted", "suspended")
SORTS = ("-total_funding", "ministry_funding", "-start_on", "lead_agency", "title")


class Browser(FastHttpUser):
    """Someone looking through the programmes: lists, filters, searches and the pages they lead to."""

    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        self.data = DATA[self.role]
        self.headers = {"Cookie": "sessionid={}".format(random.choice(self.data["sessions"]))}

    def get(self, url, name):
        with self.client.get(url, name=name, headers=self.headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif b'name="password"' in (response.content or b""):
                response.failure("sent to the login page")

    @task(2)
    def dashboard(self):
        self.get("/", "/ (dashboard)")

    @task(3)
    def task_list(self):
        self.get("/tasks/", "/tasks/")

    @task(2)
    def task_list_filtered(self):
        province = random.choice(self.data["provinces"])
        self.get(f"/tasks/?province={province}&status={random.choice(STATUSES)}", "/tasks/?province&status")

    @task(2)
    def task_list_search(self):
        self.get(f"/tasks/?q={random.choice(SEARCHES)}", "/tasks/?q")

    @task(1)
    def task_list_sorted(self):
        self.get(f"/tasks/?sort={random.choice(SORTS)}", "/tasks/?sort")

    @task(1)
    def task_list_page(self):
        self.get(f"/tasks/?page={random.randint(2, self.data['task_pages'])}", "/tasks/?page")

    @task(4)
    def task_detail(self):
        self.get(f"/tasks/{random.choice(self.data['tasks'])}/", "/tasks/<pk>/")

    @task(1)
    def programme_list(self):
        self.get("/programmes/", "/programmes/")

    @task(2)
    def programme_detail(self):
        self.get(f"/programmes/{random.choice(self.data['programmes'])}/", "/programmes/<pk>/")

    @task(1)
    def output_list(self):
        self.get("/outputs/", "/outputs/")

    @task(1)
    def meeting_list(self):
        self.get("/meetings/", "/meetings/")

    @task(1)
    def agency_list(self):
        self.get("/agencies/", "/agencies/")

    @task(1)
    def search(self):
        self.get(f"/search/?q={random.choice(SEARCHES)}", "/search/?q")


class MinistryStaff(Browser):
    weight = 4
    role = "ministry"


class ProvincialStaff(Browser):
    weight = 1
    role = "province"
