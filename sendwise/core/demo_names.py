"""Made-up names for the demo school, reflecting the mix of names in English schools."""

FIRST_NAMES_F = (
    "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy "
    "Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Matilda Aisha Zara "
    "Maryam Fatima Amira Hafsa Maja Zuzanna Oliwia Amelie Chloe Ruby Layla Nia Priya Anaya Leah "
    "Niamh Erin Imogen Jessica Hannah Alicia Ada Esme Mila Aurora Hana Simran Kiran Eva Zainab"
).split()
FIRST_NAMES_M = (
    "Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie "
    "Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Edward Ethan Adam "
    "Yusuf Ibrahim Ayaan Zayn Omar Hamza Jakub Szymon Filip Mateo Kai Reuben Joshua Samuel Daniel "
    "Aarav Arjun Rohan Kwame Kofi Tobi Elijah Dylan Callum Ryan Luca Max Ali Bilal Tyler Jayden"
).split()
LAST_NAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
    "Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner "
    "Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott "
    "Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson "
    "Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams "
    "Singh Begum Ahmed Hussain Ali Shah Akhtar Rahman Kowalski Nowak Wisniewski Okafor Mensah Adeyemi "
    "Osei Nguyen Chen Wong Silva Santos Popescu Ionescu Yilmaz Kaur Sharma Gill Mahmood Iqbal O'Brien"
).split()
STAFF_TITLES = {
    "senco": "SENCO",
    "head": "Headteacher",
    "admin": "School business manager",
    "intervention_specialist": "Teaching assistant",
    "teacher": "Class teacher",
}
