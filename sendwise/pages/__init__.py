"""Pages composed from several apps, at the top of the layers (below only the demo).

A page lives here when it shows the data of apps that must not import one another: the home
dashboards (pupils, concerns), a pupil's record (pupils, planning, monitoring), support plans
with the groups a pupil is in and their review meetings (planning, delivery, monitoring),
recommendations (evidence, planning, delivery) and the catalogue with this
school's costs, results and adaptations (evidence, delivery, impact). See docs/adr/0003.
"""
