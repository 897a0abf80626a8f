"""The shared vocabulary of skills a needs profile can name. Pure data, no Django import.

Slugs match the `skills` used by the evidence catalogue (sendwise/evidence/seed), so a pupil's
profile can be matched to the interventions that target the same skills. Areas are the four
broad areas of need of the SEND Code of Practice (2015), 6.28-6.35.
"""

SKILLS = (
    # slug, name, area, what it covers
    (
        "phonological_awareness",
        "Phonological awareness",
        "cognition_learning",
        "Hearing and playing with the sounds in words",
    ),
    ("phonics", "Phonics", "cognition_learning", "Knowing which letters stand for which sounds"),
    ("decoding", "Decoding", "cognition_learning", "Working out unfamiliar written words"),
    (
        "reading_fluency",
        "Reading fluency",
        "cognition_learning",
        "Reading accurately at a good pace with expression",
    ),
    (
        "reading_comprehension",
        "Reading comprehension",
        "cognition_learning",
        "Understanding what has been read",
    ),
    (
        "vocabulary",
        "Vocabulary",
        "communication_interaction",
        "Knowing and using a wide range of words",
    ),
    ("spelling", "Spelling", "cognition_learning", "Writing words with the right letters"),
    ("handwriting", "Handwriting", "sensory_physical", "Forming letters legibly and comfortably"),
    (
        "writing_composition",
        "Writing composition",
        "cognition_learning",
        "Planning and putting ideas into sentences and texts",
    ),
    (
        "number_sense",
        "Number sense",
        "cognition_learning",
        "Understanding quantities and how numbers relate",
    ),
    (
        "arithmetic_fluency",
        "Arithmetic fluency",
        "cognition_learning",
        "Recalling number facts and calculating quickly",
    ),
    (
        "working_memory",
        "Working memory",
        "cognition_learning",
        "Holding and using information for a short time",
    ),
    (
        "expressive_language",
        "Expressive language",
        "communication_interaction",
        "Putting thoughts into spoken words and sentences",
    ),
    (
        "receptive_language",
        "Receptive language",
        "communication_interaction",
        "Understanding what others say",
    ),
    (
        "listening",
        "Listening and attention to talk",
        "communication_interaction",
        "Attending to and following spoken language",
    ),
    (
        "social_communication",
        "Social communication",
        "communication_interaction",
        "Using language with others: turn-taking, conversation, play",
    ),
    (
        "narrative",
        "Narrative",
        "communication_interaction",
        "Telling and retelling events and stories in order",
    ),
    ("attention", "Attention", "semh", "Focusing on a task and shifting focus when needed"),
    (
        "emotional_regulation",
        "Emotional regulation",
        "semh",
        "Recognising and managing strong feelings",
    ),
    ("self_regulation", "Self-regulation", "semh", "Managing own behaviour and learning"),
    ("anxiety", "Anxiety", "semh", "Worry that gets in the way of learning or joining in"),
    ("self_esteem", "Self-esteem", "semh", "How the pupil sees and values themself"),
    (
        "behaviour",
        "Behaviour for learning",
        "semh",
        "Following routines and joining in with learning",
    ),
    ("fine_motor", "Fine motor skills", "sensory_physical", "Small, precise hand movements"),
    (
        "gross_motor",
        "Gross motor skills",
        "sensory_physical",
        "Balance, coordination and larger movements",
    ),
    (
        "sensory_processing",
        "Sensory processing",
        "sensory_physical",
        "Coping with sound, touch, light and movement",
    ),
)
