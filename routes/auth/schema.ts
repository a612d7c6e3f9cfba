import Joi from 'joi';

export const loginSchema = Joi.object({
  username: Joi.string().trim().lowercase().max(64).required(),
  password: Joi.string().max(256).required(),
}).required()
  .example({ username: 'icbc.officer', password: 'correct horse battery' });

export interface LoginInput {
  username: string;
  password: string;
}
