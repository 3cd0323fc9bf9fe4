// Parses an iCalendar document (stdin) with ical.js, an independent parser used by web calendars,
// and prints what a calendar app would see, as JSON, for the Python tests to check.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const text = readFileSync(0, "utf8");
const root = new ICAL.Component(ICAL.parse(text));
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
}
const events = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    sequence: event.sequence,
    start_utc: event.startDate.toJSDate().toISOString(),
    end_utc: event.endDate.toJSDate().toISOString(),
    tzid: event.startDate.timezone,
    status: vevent.getFirstPropertyValue("status"),
    url: vevent.getFirstPropertyValue("url"),
    location: event.location,
    description: event.description,
    attendees: vevent.getAllProperties("attendee").length,
    attendee_list: vevent.getAllProperties("attendee").map((p) => ({
      value: p.getFirstValue(),
      partstat: p.getParameter("partstat"),
      rsvp: p.getParameter("rsvp"),
    })),
    organizer: vevent.getFirstPropertyValue("organizer"),
    conference: vevent.getAllProperties("conference").map((p) => p.getFirstValue()),
    // every property as text, to check what a calendar app could show (the online link, for one)
    properties: vevent.getAllProperties().map((p) => [p.name, p.getValues().map((v) => String(v)).join(",")]),
  };
});
process.stdout.write(JSON.stringify({ method: root.getFirstPropertyValue("method"), events }));
