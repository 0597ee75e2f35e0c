/*
 * banned.h - functions this project does not call (unbounded writes, hidden state,
 * silent parse failures). Included by every translation unit through the build.
 */
#ifndef SP_BANNED_H
#define SP_BANNED_H

#define SP_BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) SP_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SP_BANNED(strcat)
#undef sprintf
#define sprintf(...) SP_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SP_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) SP_BANNED(strtok)
#undef atoi
#define atoi(x) SP_BANNED(atoi)
#undef atol
#define atol(x) SP_BANNED(atol)
#undef gets
#define gets(x) SP_BANNED(gets)

#endif
