"""Texts the cross-document resolution tests share: variants, near-namesakes, a homonym."""

from __future__ import annotations

#: Name variants (Ribicoff), near-namesakes that must stay apart (Smith), and a homonym
#: (the animal and the carmaker Jaguar).
TEXTS = {
    "gov-1": "Abraham A. Ribicoff was the Governor of Connecticut.",
    "gov-2": "Abraham Ribicoff served as Governor of Connecticut and later as a Senator.",
    "smith-1": "John Smith is a footballer who plays for Leeds United.",
    "smith-2": "Jon Smith is a chemist at the University of Oxford.",
    "cat-1": "The jaguar is a large cat that hunts deer in the rainforests of Brazil.",
    "cat-2": "A jaguar can swim across rivers and kills caimans with one bite.",
    "cat-3": "The jaguar is an endangered wild cat that lives in the Amazon rainforest.",
    "car-1": "Jaguar unveiled a new electric car at the Geneva motor show.",
    "car-2": "Jaguar sold more luxury cars in China this year, the carmaker said.",
    "car-3": "The carmaker Jaguar builds its sports cars in a factory in Coventry.",
}
