from import Enum
