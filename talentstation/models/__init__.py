from .policy import PolicyVersion
from .transitions import TransitionLog
from .users import User

__all__ = ["PolicyVersion", "TransitionLog", "User"]
